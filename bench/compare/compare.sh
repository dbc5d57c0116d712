#!/usr/bin/env bash
# The end-to-end comparison in one command: installs the baselines' Debian packages if missing (setup.sh), builds the
# CLI jar if missing, then runs compare.py with the arguments given (see python3 bench/compare/compare.py --help).
# Takes about 2 minutes on a 2-core machine (--quick: under 1).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
"$here/setup.sh" || echo "compare: setup.sh failed; running with whatever is installed" >&2
if [[ ! -f "$root/cli/target/scratchnet.jar" && " $* " != *" --skip-scratchnet "* ]]; then
  echo "compare: building the CLI jar" >&2
  (cd "$root" && ./mvnw -B -q -pl cli -am package -DskipTests) >&2
fi
py=/usr/bin/python3
[[ -x $py ]] || py=python3
exec "$py" "$here/compare.py" "$@"
