#!/usr/bin/env bash
# Runs the benchmarks behind BENCHMARKS.md on JDK 17 and JDK 25 and writes every result, each with a metadata file
# (machine, JDK, date, commit, exact command; bench/meta.py), to a results directory; then regenerates BENCHMARKS.md's
# tables from that directory (bench/report.py).
#
# Usage: bench/run.sh [--quick | --full | --only REGEX --name NAME | --no-jmh] [--gemm-forks] [--step-gemms]
#                     [--compare] [--profile] [--reproduce] [--all] [--jdk JAVA_HOME]... [--results DIR]
#                     [--report FILE | --no-report] [--no-build] [--ignore-lock] [-- extra JMH arguments]
#   --quick        (default) JMH: the FMA peak, gemm at the first layer's three shapes and 1024^3, the training step
#                  and inference, three element-wise ops (ReLU, softmax + cross-entropy, momentum), augmentation of a
#                  batch: ~5 min per JDK
#   --full         JMH: every benchmark at every parameter (scalar on 1 thread only: the scalar twin does not thread)
#   --only REGEX   JMH: the benchmarks matching REGEX, at their default parameters, as result set NAME
#   --no-jmh       no JMH subset (with the options below, to run only those)
#   --gemm-forks   JMH: the 1-thread FMA peak and gemm NN 128x784x200 in 8 forks (the single-thread % of peak)
#   --step-gemms   JMH: the 1-thread FMA peak and gemm at each shape of the training steps of 784-200-100-25-10 and
#                  784-100-50-10 and of an inference chunk, 2 forks (the step's ceiling; ~7 min per JDK)
#   --compare      the end-to-end comparison with PyTorch and NumPy (bench/compare/compare.sh, ~4 min)
#   --profile      a JFR profile of `scratchnet train` (bench/profile.py, ~20 s)
#   --reproduce    `scratchnet reproduce`, timed (~2 min)
#   --compare-args ARGS, --profile-args ARGS, --reproduce-args ARGS
#                  extra arguments (split at spaces) for compare.py, the profiled `train` and `reproduce`, e.g.
#                  --reproduce-args '--rows 2 --seeds 1 --epochs 1' for a quick look (recorded in the metadata)
#   --all          all of the above with the quick JMH subset: everything BENCHMARKS.md shows (~30 min on 2 cores)
#   --jdk HOME     a JDK to run under; repeatable (default: JDK 17 and JDK 25 as .ci/find-jdk finds them, e.g. from
#                  JDK17_HOME and JDK25_HOME, else $JAVA_HOME or the java on the PATH)
#   --results DIR  where result sets go (default: bench/results); each set is a directory replaced by a new run
#   --report FILE  the document to regenerate (default: BENCHMARKS.md); --no-report leaves it alone
#   --no-build     use the existing bench/target/benchmarks.jar and cli/target/scratchnet.jar
#   --ignore-lock  run even if another JMH run holds /tmp/jmh.lock (its numbers and ours will both be distorted)
# Every JMH run: 1 fork, warm-up 3 x 1 s, measurement 5 x 1 s, unless set after -- (e.g. -- -i 10), which applies to
# every JMH run of this call. Results: DIR/<set>/ with jdkNN-K.json (one JMH run each) or the set's own files, and a
# .meta.json beside each.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

subset=quick
only=""
name=""
jdks=()
gemm_forks=0
step_gemms=0
compare=0
profile=0
reproduce=0
compare_args=""
profile_args=""
reproduce_args=""
build=1
report=1
report_file=BENCHMARKS.md
results=bench/results
runner_opts=()
extra=()
invocation="bench/run.sh$(printf ' %q' "$@")"
while (($#)); do
  case "$1" in
    --quick) subset=quick ;;
    --full) subset=full ;;
    --only) subset=only; only="${2:?--only needs a regex}"; shift ;;
    --name) name="${2:?--name needs a name}"; shift ;;
    --no-jmh) subset=none ;;
    --gemm-forks) gemm_forks=1 ;;
    --step-gemms) step_gemms=1 ;;
    --compare) compare=1 ;;
    --profile) profile=1 ;;
    --reproduce) reproduce=1 ;;
    --compare-args) compare_args="${2?--compare-args needs arguments}"; shift ;;
    --profile-args) profile_args="${2?--profile-args needs arguments}"; shift ;;
    --reproduce-args) reproduce_args="${2?--reproduce-args needs arguments}"; shift ;;
    --all) subset=quick; gemm_forks=1; compare=1; profile=1; reproduce=1 ;;
    --jdk) jdks+=("${2:?--jdk needs a JDK home}"); shift ;;
    --results) results="${2:?--results needs a directory}"; shift ;;
    --report) report_file="${2:?--report needs a file}"; shift ;;
    --no-report) report=0 ;;
    --no-build) build=0 ;;
    --ignore-lock) runner_opts+=(-Djmh.ignoreLock=true) ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see bench/run.sh --help)" >&2; exit 2 ;;
  esac
  shift
done
if [[ $subset == only && -z $name ]]; then
  echo "run.sh: --only needs --name NAME, the result set to write (e.g. --name gemm-threshold)" >&2
  exit 2
fi
if [[ $name == compare || $name == profile || $name == reproduce ]]; then
  echo "run.sh: the set name '$name' belongs to --$name; choose another for --only" >&2
  exit 2
fi
if [[ -n $name && ! $name =~ ^[a-z0-9][a-z0-9-]*$ ]]; then
  echo "run.sh: expected a set name of lower-case letters, digits and dashes, found '$name'" >&2
  exit 2
fi

if ((${#jdks[@]} == 0)); then
  for major in 17 25; do
    if home="$(.ci/find-jdk "$major" 2>/dev/null)"; then
      jdks+=("$home")
    fi
  done
  ((${#jdks[@]})) || jdks+=("${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}")
fi
for home in "${jdks[@]}"; do
  [[ -x $home/bin/java ]] || { echo "run.sh: expected a JDK with bin/java at $home, found none" >&2; exit 2; }
done

jar=bench/target/benchmarks.jar
cli_jar=cli/target/scratchnet.jar
if ((build)); then
  echo "run.sh: building $jar and $cli_jar" >&2
  JAVA_HOME="${jdks[0]}" ./mvnw -B -q -pl bench,cli -am package -DskipTests >&2
fi
[[ -f $jar ]] || { echo "run.sh: expected $jar, found none (build it: ./mvnw -B -q -pl bench -am package -DskipTests)" >&2; exit 2; }
mkdir -p "$results"

# The first layer of 784-200-100-25-10 at batch 128 (forward NN, weight gradient TN, input gradient NT) and 1024^3.
# GemmBenchmark is matched as \.GemmBenchmark\. so that EjmlGemmBenchmark, whose shape has no layout, is not started.
layer1="NN:128x784x200,TN:784x128x200,NT:128x200x784,NN:1024x1024x1024"
quick_runs=("FmaPeakBenchmark"
            "\\.GemmBenchmark\\. -p backend=vector -p shape=$layer1 -p threads=1,2"
            "\\.GemmBenchmark\\. -p backend=scalar -p shape=$layer1 -p threads=1"
            "(TrainingStepBenchmark|InferenceBenchmark).vector -p threads=1,2"
            "(TrainingStepBenchmark|InferenceBenchmark).scalar -p threads=1"
            "KernelOpsBenchmark.(relu|softmaxCrossEntropy|momentumEma)_"
            "AugmentationBenchmark")
full_runs=("FmaPeakBenchmark"
           "\\.GemmBenchmark\\. -p backend=vector -p threads=1,2"
           "\\.GemmBenchmark\\. -p backend=scalar -p threads=1"
           "EjmlGemmBenchmark"
           "(TrainingStepBenchmark|InferenceBenchmark).vector -p threads=1,2"
           "(TrainingStepBenchmark|InferenceBenchmark).scalar -p threads=1"
           "KernelOpsBenchmark"
           "AugmentationBenchmark")
default_settings=("-f 1" "-wi 3" "-w 1s" "-i 5" "-r 1s")

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

failed=()

# run_jmh_set NAME: runs the JMH invocations in the array `runs` with the JMH settings in `settings` (each "-flag
# value", left out where the extra arguments set the flag) on every JDK, into RESULTS/NAME/jdkNN-K.json with a
# .meta.json each. A JDK's old files in the set are replaced only when at least one of its new runs succeeded.
run_jmh_set() {
  local set="$1" dir="$results/$1" home major n ok run regex out flags pair flag value
  local -a words cmd
  flags=()
  for pair in "${settings[@]}"; do
    read -r flag value <<<"$pair"
    [[ " ${extra[*]:-} " == *" $flag "* ]] || flags+=("$flag" "$value")
  done
  mkdir -p "$dir"
  for home in "${jdks[@]}"; do
    major="$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    rm -f "$dir/jdk$major"-*.new
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
      out="$dir/jdk$major-$n.json.new"
      cmd=("$home/bin/java" "${runner_opts[@]}" -jar "$jar" "$regex" "${words[@]:1}" "${flags[@]}" \
           -jvm "$home/bin/java" -rf json -rff "$out" "${extra[@]}")
      echo "run.sh: $set, JDK $major: $run" >&2
      if jmh "${cmd[@]}"; then
        python3 bench/meta.py --out "$dir/jdk$major-$n.meta.json.new" --java "$home/bin/java" \
            --set "set=$set" --set "driver=$invocation" -- "${cmd[@]/%.json.new/.json}"
        ok=$((ok + 1))
      else
        failed+=("$set, JDK $major: $run")
        rm -f "$out"
      fi
    done
    if ((ok > 0)); then
      rm -f "$dir/jdk$major"-*.json
      for f in "$dir/jdk$major"-*.new; do
        mv "$f" "${f%.new}"
      done
    fi
  done
}

# replace_set NAME: moves RESULTS/.NAME.new (a finished non-JMH run) into place as RESULTS/NAME.
replace_set() {
  rm -rf "${results:?}/$1"
  mv "$results/.$1.new" "$results/$1"
}

start=$(date +%s)
case $subset in
  quick) runs=("${quick_runs[@]}"); settings=("${default_settings[@]}"); run_jmh_set jmh ;;
  full) runs=("${full_runs[@]}"); settings=("${default_settings[@]}"); run_jmh_set jmh ;;
  only) runs=("$only"); settings=("${default_settings[@]}"); run_jmh_set "$name" ;;
  none) ;;
esac
if ((gemm_forks)); then
  # eight JVM starts: where the JVM places the arrays moves a single fork by several per cent
  runs=("FmaPeakBenchmark.peak1Thread|\\.GemmBenchmark\\. -p backend=vector -p shape=NN:128x784x200 -p threads=1")
  settings=("-f 8" "-wi 3" "-w 1s" "-i 4" "-r 1s")
  run_jmh_set gemm-forks
fi
if ((step_gemms)); then
  # every gemm call of a step, each at its own rate: report.py sums their times into the step's ceiling
  shapes="$(python3 bench/report.py --step-gemm-shapes)"
  runs=("FmaPeakBenchmark.peak1Thread|\\.GemmBenchmark\\. -p backend=vector -p threads=1 -p shape=$shapes")
  settings=("-f 2" "-wi 3" "-w 1s" "-i 4" "-r 1s")
  run_jmh_set step-gemms
fi

javas=()
for home in "${jdks[@]}"; do
  javas+=(--java "$home/bin/java")
done
if ((compare)); then
  new="$results/.compare.new"
  rm -rf "$new" && mkdir -p "$new"
  read -r -a more <<<"$compare_args"
  cmd=(bench/compare/compare.sh "${javas[@]}" --markdown "$new/compare.md" --json "$new/compare.json" "${more[@]}")
  echo "run.sh: ${cmd[*]}" >&2
  if "${cmd[@]}"; then
    python3 bench/meta.py --out "$new/compare.meta.json" "${javas[@]}" --set "set=compare" \
        --set "driver=$invocation" -- "${cmd[@]//$new/$results/compare}"
    replace_set compare
  else
    failed+=("compare: ${cmd[*]}")
  fi
fi
if ((profile)); then
  new="$results/.profile.new"
  rm -rf "$new" && mkdir -p "$new"
  read -r -a more <<<"$profile_args"
  cmd=(python3 bench/profile.py --java "${jdks[0]}/bin/java" --markdown "$new/profile.md")
  ((${#more[@]} == 0)) || cmd+=(-- "${more[@]}")
  echo "run.sh: ${cmd[*]}" >&2
  if "${cmd[@]}"; then
    python3 bench/meta.py --out "$new/profile.meta.json" --java "${jdks[0]}/bin/java" --set "set=profile" \
        --set "driver=$invocation" -- "${cmd[@]//$new/$results/profile}"
    replace_set profile
  else
    failed+=("profile: ${cmd[*]}")
  fi
fi
if ((reproduce)); then
  new="$results/.reproduce.new"
  rm -rf "$new" && mkdir -p "$new"
  read -r -a more <<<"$reproduce_args"
  cmd=(./scratchnet reproduce --out "$new" "${more[@]}")
  # the FMA peak reproduce divides by: measured for 2 s and cached first, not guessed from a short measurement
  JAVA_HOME="${jdks[0]}" ./scratchnet info --peak >&2 || echo "run.sh: info --peak failed" >&2
  echo "run.sh: JAVA_HOME=${jdks[0]} ${cmd[*]}" >&2
  t0=$(date +%s.%N)
  if JAVA_HOME="${jdks[0]}" "${cmd[@]}" >/dev/null; then
    wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    python3 bench/meta.py --out "$new/reproduce.meta.json" --java "${jdks[0]}/bin/java" --set "set=reproduce" \
        --set "driver=$invocation" --set "wall_seconds=$wall" --set "reproduce_args=$reproduce_args" \
        -- "${cmd[@]//$new/$results/reproduce}"
    replace_set reproduce
  else
    failed+=("reproduce: ${cmd[*]}")
  fi
fi
echo "run.sh: took $(( $(date +%s) - start )) s" >&2
for f in "${failed[@]}"; do
  echo "run.sh: FAILED: $f (see its output above)" >&2
done

if ((report)); then
  python3 bench/report.py --results "$results" --out "$report_file"
fi
((${#failed[@]} == 0))
