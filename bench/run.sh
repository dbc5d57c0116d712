#!/usr/bin/env bash
# Runs the JMH benchmarks (a named subset, with settings that suit a 2-core machine) on JDK 17 and JDK 25, keeps the
# raw JSON in bench/target/jmh/, and rewrites the generated tables of BENCHMARKS.md (bench/report.py).
#
# Usage: bench/run.sh [--quick | --full | --only REGEX] [--jdk JAVA_HOME]... [--compare] [--no-build] [--no-report]
#                     [-- extra JMH arguments]
#   --quick        (default) the FMA peak, gemm at the first layer's three shapes and 1024^3, the training step
#                  and inference, three element-wise ops (ReLU, softmax + cross-entropy, momentum): ~4.5 min per JDK
#   --full         every benchmark at every parameter (scalar on 1 thread only: the scalar twin does not thread)
#   --only REGEX   the benchmarks matching REGEX, at their default parameters
#   --jdk HOME     a JDK to run under; repeatable (default: JDK 17 and JDK 25 where installed, else $JAVA_HOME/java)
#   --compare      also run the end-to-end comparison against PyTorch and NumPy (bench/compare/compare.sh, ~2 min)
#   --no-build     use the existing bench/target/benchmarks.jar
#   --no-report    leave BENCHMARKS.md alone
#   --ignore-lock  run even if another JMH run holds /tmp/jmh.lock (its numbers and ours will both be distorted)
# Every JMH run: 1 fork, warm-up 3 x 1 s, measurement 5 x 1 s (override after --, e.g. -- -i 10).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

subset=quick
only=""
jdks=()
compare=0
build=1
report=1
runner_opts=()
extra=()
while (($#)); do
  case "$1" in
    --quick) subset=quick ;;
    --full) subset=full ;;
    --only) subset=only; only="${2:?--only needs a regex}"; shift ;;
    --jdk) jdks+=("${2:?--jdk needs a JDK home}"); shift ;;
    --compare) compare=1 ;;
    --no-build) build=0 ;;
    --no-report) report=0 ;;
    --ignore-lock) runner_opts+=(-Djmh.ignoreLock=true) ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (expected --quick, --full, --only REGEX, --jdk HOME, --compare, --no-build, --no-report, -- JMH args)" >&2; exit 2 ;;
  esac
  shift
done

if ((${#jdks[@]} == 0)); then
  for home in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
    [[ -x $home/bin/java ]] && jdks+=("$home")
  done
  ((${#jdks[@]})) || jdks+=("${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}")
fi
for home in "${jdks[@]}"; do
  [[ -x $home/bin/java ]] || { echo "run.sh: expected a JDK with bin/java at $home, found none" >&2; exit 2; }
done

jar=bench/target/benchmarks.jar
if ((build)); then
  echo "run.sh: building $jar" >&2
  ./mvnw -B -q -pl bench -am package -DskipTests >&2
fi
[[ -f $jar ]] || { echo "run.sh: expected $jar, found none (build it: ./mvnw -B -q -pl bench -am package -DskipTests)" >&2; exit 2; }

# The first layer of 784-200-100-25-10 at batch 128 (forward NN, weight gradient TN, input gradient NT) and 1024^3.
layer1="NN:128x784x200,TN:784x128x200,NT:128x200x784,NN:1024x1024x1024"
runs=()   # one JMH invocation per entry: regex and -p arguments, separated by spaces
case $subset in
  quick)
    runs+=("FmaPeakBenchmark"
           "GemmBenchmark -p backend=vector -p shape=$layer1 -p threads=1,2"
           "GemmBenchmark -p backend=scalar -p shape=$layer1 -p threads=1"
           "(TrainingStepBenchmark|InferenceBenchmark).vector -p threads=1,2"
           "(TrainingStepBenchmark|InferenceBenchmark).scalar -p threads=1"
           "KernelOpsBenchmark.(relu|softmaxCrossEntropy|momentumEma)_") ;;
  full)
    runs+=("FmaPeakBenchmark"
           "GemmBenchmark -p backend=vector -p threads=1,2"
           "GemmBenchmark -p backend=scalar -p threads=1"
           "(TrainingStepBenchmark|InferenceBenchmark).vector -p threads=1,2"
           "(TrainingStepBenchmark|InferenceBenchmark).scalar -p threads=1"
           "KernelOpsBenchmark") ;;
  only)
    runs+=("$only") ;;
esac

# 1 fork, warm-up 3 x 1 s, measurement 5 x 1 s, unless given after -- (JMH refuses an option twice).
settings=()
for pair in "-f 1" "-wi 3" "-w 1s" "-i 5" "-r 1s"; do
  read -r flag value <<<"$pair"
  [[ " ${extra[*]:-} " == *" $flag "* ]] || settings+=("$flag" "$value")
done

mkdir -p bench/target/jmh
available="$("${jdks[0]}/bin/java" -jar "$jar" -l 2>/dev/null)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# One JMH invocation; another JMH run on the machine holds /tmp/jmh.lock: wait for it (up to 15 minutes) rather than
# fail or run beside it.
jmh() {
  local waited=0
  while :; do
    if "$@" 2>&1 | tee "$log"; [[ ${PIPESTATUS[0]} -eq 0 ]]; then
      return 0
    fi
    if grep -q "Unable to acquire the JMH lock" "$log" && ((waited < 900)); then
      echo "run.sh: another JMH run holds /tmp/jmh.lock; waiting 30 s (--ignore-lock runs beside it)" >&2
      sleep 30
      waited=$((waited + 30))
      continue
    fi
    return 1
  done
}

start=$(date +%s)
failed=()
for home in "${jdks[@]}"; do
  major="$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  # new results go to *.json.new and replace this JDK's old ones only if at least one run succeeded
  rm -f bench/target/jmh/jdk"$major"-*.json.new
  n=0
  ok=0
  for run in "${runs[@]}"; do
    read -r -a words <<<"$run"
    regex="${words[0]}"
    if ! grep -Eq "$regex" <<<"$available"; then
      echo "run.sh: no benchmark matches '$regex' in $jar, skipped" >&2
      continue
    fi
    n=$((n + 1))
    out="bench/target/jmh/jdk$major-$n.json.new"
    echo "run.sh: JDK $major: $run" >&2
    if jmh "$home/bin/java" "${runner_opts[@]}" -jar "$jar" "$regex" "${words[@]:1}" "${settings[@]}" \
        -jvm "$home/bin/java" -rf json -rff "$out" "${extra[@]}"; then
      ok=$((ok + 1))
    else
      failed+=("JDK $major: $run")
      rm -f "$out"
    fi
  done
  if ((ok > 0)); then
    rm -f bench/target/jmh/jdk"$major"-*.json
    for f in bench/target/jmh/jdk"$major"-*.json.new; do
      mv "$f" "${f%.new}"
    done
  fi
done
echo "run.sh: JMH took $(( $(date +%s) - start )) s" >&2
for f in "${failed[@]}"; do
  echo "run.sh: FAILED: $f (see its output above)" >&2
done

compare_md=()
if ((compare)); then
  bench/compare/compare.sh --markdown bench/target/compare.md --json bench/target/compare.json
  compare_md=(--compare bench/target/compare.md)
fi
if ((report)); then
  python3 bench/report.py --out BENCHMARKS.md "${compare_md[@]}" bench/target/jmh/*.json
fi
((${#failed[@]} == 0))
