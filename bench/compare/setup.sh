#!/usr/bin/env bash
# Installs what the Python baselines need, from Debian packages, for /usr/bin/python3 (idempotent: does nothing when
# everything is already there). PyPI is not used.
#
#   python3-numpy          the NumPy baseline
#   libopenblas0-pthread   OpenBLAS; becomes the system BLAS/LAPACK through update-alternatives, so NumPy and PyTorch
#                          stop using the slow reference BLAS (PyTorch ~11 s per epoch without it, ~0.5 s with it)
#   python3-threadpoolctl  lets the baselines report (and limit) the BLAS they really loaded
#   python3-torch          the PyTorch baseline (optional: the comparison skips PyTorch with a message without it)
#
# Usage: bench/compare/setup.sh [--no-torch]
set -euo pipefail

want=(python3-numpy libopenblas0-pthread python3-threadpoolctl)
if [[ "${1:-}" != "--no-torch" ]]; then
  want+=(python3-torch)
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all baseline packages present (${want[*]})" >&2
else
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing Debian packages: ${missing[*]}; install them as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  if ! apt-get install -y -q "${missing[@]}" >&2; then
    apt-get update -q >&2
    apt-get install -y -q "${missing[@]}" >&2
  fi
fi

# Which BLAS the system alternative points at (OpenBLAS expected).
for alt in libblas.so.3-x86_64-linux-gnu liblapack.so.3-x86_64-linux-gnu; do
  if command -v update-alternatives >/dev/null 2>&1; then
    update-alternatives --query "$alt" 2>/dev/null | awk -v a="$alt" '/^Value:/ {print "setup: " a " -> " $2}' >&2 || true
  fi
done
