#!/usr/bin/env python3
"""End-to-end comparison: the same network trained by scratchnet, by PyTorch and by a float32 NumPy script, one after
the other in the same run, each baseline under every thread/OpenBLAS setting worth trying; prints seconds per epoch,
test accuracy and the ratios against the fastest baseline, then the same for inference of the 10,000 test images with
each trained network (the fastest of --inference-passes passes; scratchnet's through `eval --passes`). Standard library only (the baselines themselves run under
the python that has numpy, /usr/bin/python3 after bench/compare/setup.sh).

Usage (from anywhere; bench/compare/compare.sh runs setup.sh and builds the jar first):
  python3 bench/compare/compare.py [--epochs 3] [--quick] [--skip-torch] [--json out.json] [--markdown out.md]

Seconds per epoch are the mean over the epochs after the first for every implementation (scratchnet's first epoch
includes the JIT warm-up of the Vector API kernels), and the fastest of those epochs; the first epoch is shown on its
own. Results go to stdout,
progress to stderr.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--layers", default="200,100,25", help="hidden layer widths (default: %(default)s)")
    p.add_argument("--epochs", type=int, default=5, help="epochs per run (default: %(default)s)")
    p.add_argument("--batch", type=int, default=128, help="batch size (default: %(default)s)")
    p.add_argument("--lr", type=float, default=0.5, help="learning rate alpha (default: %(default)s)")
    p.add_argument("--momentum", type=float, default=0.9, help="EMA momentum beta (default: %(default)s)")
    p.add_argument("--seed", type=int, default=1, help="seed of every run (default: %(default)s)")
    p.add_argument("--python", default=None, help="python for the baselines (default: the first of /usr/bin/python3, "
                                                  "python3 that imports numpy)")
    p.add_argument("--java", action="append", default=None,
                   help="java executable to train scratchnet with; repeatable (default: $JAVA_HOME/bin/java or java, "
                        "and a JDK 25 as .ci/find-jdk finds it, e.g. from JDK25_HOME, when that is another JDK)")
    p.add_argument("--data", default=None, help="directory of the four MNIST IDX files, used by all three "
                                                "(default: the project's cache, fetched there by the CLI if missing)")
    p.add_argument("--jar", default=os.path.join(ROOT, "cli", "target", "scratchnet.jar"),
                   help="the CLI jar (default: cli/target/scratchnet.jar)")
    p.add_argument("--quick", action="store_true",
                   help="one setting per baseline (1 BLAS thread, AVX-512) instead of the full sweep")
    p.add_argument("--repeat", type=int, default=1,
                   help="run every setting this many times and keep its fastest run (a guard against a noisy machine)")
    p.add_argument("--skip-scratchnet", action="store_true")
    p.add_argument("--skip-torch", action="store_true")
    p.add_argument("--skip-numpy", action="store_true")
    p.add_argument("--skip-memory", action="store_true", help="skip the -Xmx128m training check")
    p.add_argument("--small-layers", default="100,50",
                   help="a second, smaller network scratchnet alone trains on 1 and 2 threads, for its share of the "
                        "FMA peak; empty to skip (default: %(default)s)")
    p.add_argument("--inference-passes", type=int, default=20,
                   help="timed passes of inference over the 10,000 test images after training; the fastest counts "
                        "(default: %(default)s)")
    p.add_argument("--json", default=None, help="also write every raw result to this file")
    p.add_argument("--markdown", default=None, help="also write the tables to this file")
    return p.parse_args()


def mnist_dir():
    """Where the project's fetcher caches MNIST: $SCRATCHNET_DATA/mnist, else ~/.cache/scratchnet/mnist."""
    root = os.environ.get("SCRATCHNET_DATA")
    if root:
        return os.path.join(root, "mnist")
    return os.path.join(os.path.expanduser("~"), ".cache", "scratchnet", "mnist")


def ensure_data(java_cmd, jar):
    d = mnist_dir()
    def present():
        return all(os.path.exists(os.path.join(d, f)) or os.path.exists(os.path.join(d, f + ".gz")) for f in MNIST_FILES)
    if present():
        return d
    log(f"compare: MNIST not in {d}, fetching it with the CLI")
    launcher = os.path.join(ROOT, "scratchnet")
    cmd = [launcher] if os.access(launcher, os.X_OK) else java_cmd + ["-jar", jar]
    subprocess.run(cmd + ["fetch", "--dataset", "mnist", "--data-dir", d], check=True, stdout=sys.stderr)
    if not present():
        sys.exit(f"compare: expected the four MNIST IDX files in {d} after fetching, found {sorted(os.listdir(d))}")
    return d


def find_python(explicit):
    candidates = [explicit] if explicit else ["/usr/bin/python3", shutil.which("python3") or "python3"]
    for py in candidates:
        try:
            if subprocess.run([py, "-c", "import numpy"], capture_output=True).returncode == 0:
                return py
        except OSError:
            pass
    sys.exit("compare: no python with numpy found (tried " + ", ".join(candidates) + "); run bench/compare/setup.sh")


def has_module(py, module):
    return subprocess.run([py, "-c", f"import {module}"], capture_output=True).returncode == 0


def blas_variants(quick):
    """The OpenBLAS kernel choices to try: both CPU variables unset (OpenBLAS picks kernels for the CPU it detects; a
    CPU newer than the OpenBLAS release may be detected as an old one, e.g. Prescott: SSE3 kernels), the AVX-512 kernels
    forced (OPENBLAS_CORETYPE=SkylakeX, where the CPU has AVX-512) and the AVX2 kernels forced (the inherited values
    when set, otherwise OPENBLAS_CORETYPE=Haswell). --quick tries only the first of them that applies to this CPU:
    AVX-512 forced where there is AVX-512, else auto-detection."""
    unset = {k: None for k in BLAS_ENV}
    avx512 = has_avx512()
    forced512 = ("AVX-512 forced (OPENBLAS_CORETYPE=SkylakeX)", {"OPENBLAS_CORETYPE": "SkylakeX",
                                                                  "OPENBLAS_L2_SIZE": None})
    if quick:
        return [forced512] if avx512 else [("auto-detected (OPENBLAS_CORETYPE/L2_SIZE unset)", unset)]
    variants = [("auto-detected (OPENBLAS_CORETYPE/L2_SIZE unset)", unset)]
    if avx512:
        variants.append(forced512)
    inherited = {k: os.environ.get(k) for k in BLAS_ENV if os.environ.get(k)}
    if inherited:
        label = "inherited " + " ".join(f"{k}={v}" for k, v in inherited.items())
        variants.append((label, inherited))
    else:
        variants.append(("AVX2 forced (OPENBLAS_CORETYPE=Haswell)", {"OPENBLAS_CORETYPE": "Haswell"}))
    return variants


def has_avx512():
    """Whether /proc/cpuinfo lists avx512f (False where it cannot be read)."""
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and " avx512f" in line for line in f)
    except OSError:
        return False


def run_baseline(py, script, args, env_changes, extra, label):
    """The fastest (lowest steady s/epoch) of --repeat runs of one baseline setting, or None if it failed."""
    runs = [one_baseline(py, script, args, env_changes, extra, label) for _ in range(max(1, args.repeat))]
    runs = [r for r in runs if r]
    return min(runs, key=lambda r: steady(r["epoch_seconds"])) if runs else None


def one_baseline(py, script, args, env_changes, extra, label):
    env = dict(os.environ)
    for k, v in env_changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    cmd = [py, os.path.join(HERE, script), "--layers", args.layers, "--epochs", str(args.epochs),
           "--batch", str(args.batch), "--lr", str(args.lr), "--momentum", str(args.momentum),
           "--seed", str(args.seed), "--inference-passes", str(args.inference_passes)] + extra
    log(f"compare: {label}")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        log(proc.stderr.strip())
        log(f"compare: {label} failed with exit code {proc.returncode}")
        return None
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["label"] = label
    return result


def epoch_flop(layers, examples=60000):
    """Flops of one training epoch of 784-layers-10 (forward, weight and input gradients: 2 flops per multiply-add,
    the input gradient skipped for the first layer), as NetworkConfig.trainingFlopPerExample counts them."""
    sizes = [784] + [int(x) for x in str(layers).split(",") if x.strip()] + [10]
    macs = sum(2 * a * b for a, b in zip(sizes, sizes[1:])) + sum(a * b for a, b in zip(sizes[1:-1], sizes[2:]))
    return 2 * macs * examples


def steady(seconds):
    """Mean seconds per epoch over the epochs after the first (all of them when there is only one)."""
    rest = seconds[1:] or seconds
    return sum(rest) / len(rest)


def run_java(cmd):
    """Runs a JVM, returning (exit code, stdout, stderr, peak resident set in MiB)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), usage.ru_maxrss / 1024.0


def read_history(path):
    """Seconds of each epoch and the last test accuracy from the CSV that `train --history` writes."""
    seconds, accuracy = [], None
    with open(path) as f:
        header = f.readline().strip().split(",")
        col = {name: i for i, name in enumerate(header)}
        for line in f:
            cells = line.strip().split(",")
            if len(cells) != len(header):
                continue
            seconds.append(float(cells[col["seconds"]]))
            if cells[col["test_accuracy"]]:
                accuracy = float(cells[col["test_accuracy"]])
    return seconds, accuracy


INFERENCE_LINE = re.compile(r"inference: ([\d,]+) images in ([\d.]+) s")


def scratchnet_inference(java_cmd, jar, model, data, threads, passes):
    """Seconds of the fastest of `passes` inference passes over the test set (`eval --passes`), or None."""
    cmd = java_cmd + ["-jar", jar, "eval", "--model", model, "--data-dir", data, "--threads", str(threads),
                      "--passes", str(passes)]
    log("compare: " + " ".join(cmd))
    code, out, err, _ = run_java(cmd)
    match = INFERENCE_LINE.search(err)
    if code != 0 or not match:
        log(err.strip()[-2000:])
        log(f"compare: scratchnet eval exited with {code}")
        return None
    return float(match.group(2))


def run_scratchnet(java_cmd, jar, args, data, threads, extra_jvm=(), epochs=None):
    with tempfile.TemporaryDirectory(prefix="scratchnet-compare-") as tmp:
        history = os.path.join(tmp, "history.csv")
        model = os.path.join(tmp, "model.snet")
        cmd = java_cmd + list(extra_jvm) + ["-jar", jar, "train", "--layers", args.layers,
                                            "--epochs", str(epochs or args.epochs), "--batch", str(args.batch),
                                            "--lr", str(args.lr), "--momentum", str(args.momentum),
                                            "--threads", str(threads), "--seed", str(args.seed),
                                            "--data-dir", data, "--history", history]
        if not extra_jvm:
            cmd += ["--save", model]
        log("compare: " + " ".join(cmd))
        start = time.perf_counter()
        code, out, err, rss = run_java(cmd)
        wall = time.perf_counter() - start
        result = {"impl": "scratchnet", "threads": threads, "wall_seconds": wall, "max_rss_mib": rss,
                  "command": cmd, "stdout": out[-4000:], "stderr": err[-4000:]}
        if code != 0 or not os.path.exists(history):
            log(err.strip()[-2000:])
            log(f"compare: scratchnet train exited with {code}")
            result["failed"] = code or "no history written"
            return result
        result["epoch_seconds"], result["test_accuracy"] = read_history(history)
        if os.path.exists(model):
            result["inference_seconds"] = scratchnet_inference(java_cmd, jar, model, data, threads,
                                                               args.inference_passes)
            result["inference_images"] = 10000
        return result


PEAK_LINE = re.compile(r"FMA peak\s+([\d.]+) GFLOPS on (\d+) threads?")


def fma_peak(java_cmd, jar):
    """The machine's vector FMA peak in GFLOPS by thread count, measured by `scratchnet info --peak` (2 s each)."""
    cmd = java_cmd + ["-jar", jar, "info", "--peak"]
    log("compare: " + " ".join(cmd))
    code, out, err, _ = run_java(cmd)
    peaks = {int(t): float(g) for g, t in PEAK_LINE.findall(out + err)}
    if code != 0 or not peaks:
        log(f"compare: info --peak exited with {code}; no FMA peak")
    return peaks


def fmt(x, digits=3):
    return "—" if x is None else f"{x:.{digits}f}"


def java_version(java):
    """(major, first line of java -version), e.g. ("17", 'openjdk version "17.0.15" 2025-04-15')."""
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    first = out[0] if out else "?"
    m = re.search(r'version "(\d+)', first)
    return (m.group(1) if m else "?"), first


def javas(explicit):
    if explicit:
        return explicit
    default = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    found = [default]
    home = find_jdk("25")
    resolved = os.path.realpath(shutil.which(default) or default)
    if home and os.path.realpath(os.path.join(home, "bin", "java")) != resolved:
        found.append(os.path.join(home, "bin", "java"))
    return found


def find_jdk(major):
    """The home of an installed JDK of that feature release (.ci/find-jdk), or None."""
    p = subprocess.run([os.path.join(ROOT, ".ci", "find-jdk"), major], capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 and p.stdout.strip() else None


def main():
    args = parse_args()
    java_list = javas(args.java)
    java = java_list[0]
    java_cmd = [java, "--add-modules=jdk.incubator.vector"]
    run_scratch = not args.skip_scratchnet
    if run_scratch and not os.path.exists(args.jar):
        sys.exit(f"compare: expected the CLI jar at {args.jar}, found nothing; build it with "
                 f"./mvnw -B -q -pl cli -am package -DskipTests (bench/compare/compare.sh does)")
    data = args.data or (ensure_data(java_cmd, args.jar) if run_scratch else mnist_dir())
    py = find_python(args.python)
    results = []
    started = time.strftime("%Y-%m-%d", time.gmtime())

    peak = fma_peak(java_cmd, args.jar) if run_scratch else {}
    if run_scratch:
        for jv in java_list:
            major, _ = java_version(jv)
            for threads in (2, 1):
                cmd = [jv, "--add-modules=jdk.incubator.vector"]
                runs = [run_scratchnet(cmd, args.jar, args, data, threads) for _ in range(max(1, args.repeat))]
                good = [r for r in runs if r.get("epoch_seconds")]
                r = min(good, key=lambda r: steady(r["epoch_seconds"])) if good else runs[0]
                r["label"] = f"scratchnet, JDK {major}, {threads} thread{'s' if threads > 1 else ''}"
                r["jdk"] = major
                results.append(r)

    small = []
    if run_scratch and args.small_layers:
        small_args = argparse.Namespace(**vars(args))
        small_args.layers = args.small_layers
        for jv in java_list:
            major, _ = java_version(jv)
            for threads in (2, 1):
                runs = [run_scratchnet([jv, "--add-modules=jdk.incubator.vector"], args.jar, small_args, data, threads)
                        for _ in range(max(1, args.repeat))]
                good = [r for r in runs if r.get("epoch_seconds")]
                if good:
                    r = min(good, key=lambda r: min(r["epoch_seconds"][1:] or r["epoch_seconds"]))
                    small.append({"layers": args.small_layers, "jdk": major, "threads": threads,
                                  "epoch_seconds": r["epoch_seconds"], "test_accuracy": r["test_accuracy"],
                                  "command": r["command"]})

    variants = blas_variants(args.quick)
    if not args.skip_numpy:
        for vlabel, venv in variants:
            for blas_threads in ((1,) if args.quick else (1, 2)):
                env = dict(venv, OPENBLAS_NUM_THREADS=str(blas_threads))
                r = run_baseline(py, "numpy_mlp.py", args, env, ["--data", data],
                                 f"numpy, OpenBLAS {blas_threads} thread(s), {vlabel}")
                if r:
                    results.append(r)
    torch_note = None
    if not args.skip_torch:
        if not has_module(py, "torch"):
            torch_note = f"PyTorch skipped: not installed for {py} (Debian: python3-torch, see bench/compare/setup.sh)"
            log("compare: " + torch_note)
        else:
            for vlabel, venv in variants:
                settings = [(1, 1)] if args.quick else [(1, 1), (2, 1), (1, 2), (2, 2)]
                for torch_threads, blas_threads in settings:
                    env = dict(venv, OPENBLAS_NUM_THREADS=str(blas_threads))
                    r = run_baseline(py, "torch_mlp.py", args, env, ["--threads", str(torch_threads), "--data", data],
                                     f"torch, {torch_threads} torch thread(s), OpenBLAS {blas_threads}, {vlabel}")
                    if r:
                        results.append(r)

    memory = None
    if run_scratch and not args.skip_memory:
        r = run_scratchnet(java_cmd, args.jar, args, data, 2, extra_jvm=["-Xmx128m"], epochs=1)
        memory = {"ok": "failed" not in r, "max_rss_mib": r.get("max_rss_mib"), "wall_seconds": r.get("wall_seconds"),
                  "epoch_seconds": r.get("epoch_seconds"), "command": r.get("command")}

    for r in results:
        if r.get("epoch_seconds"):
            r["first_epoch"] = r["epoch_seconds"][0]
            r["steady"] = steady(r["epoch_seconds"])
            r["fastest_epoch"] = min(r["epoch_seconds"][1:] or r["epoch_seconds"])
    ok = [r for r in results if r.get("steady")]
    two = [r for r in ok if r["impl"] == "scratchnet" and r.get("threads") == 2]
    scratch = min(two, key=lambda r: r["steady"]) if two else None
    best = {}
    for r in ok:
        if r["impl"] != "scratchnet" and (r["impl"] not in best or r["steady"] < best[r["impl"]]["steady"]):
            best[r["impl"]] = r
    fastest = min(best.values(), key=lambda r: r["steady"]) if best else None

    lines = [f"End-to-end comparison, {started}: {args.layers.replace(',', '-')} (784 in, 10 out), batch {args.batch}, "
             f"alpha {args.lr}, EMA momentum {args.momentum}, {args.epochs} epochs, seed {args.seed}, float32. "
             f"s/epoch = mean of epochs 2..{args.epochs}; epoch 1 shown separately.", "",
             "Last column: the run's s/epoch over the fastest scratchnet run on 2 threads"
             + (f" ({scratch['label']})" if scratch else "") + " (above 1: scratchnet is that many times faster).", "",
             "| run | epoch 1 s | s/epoch | fastest epoch s | test acc. | BLAS | ÷ scratchnet 2 thr. |",
             "|---|---:|---:|---:|---:|---|---:|"]
    for r in results:
        if "steady" not in r:
            lines.append(f"| {r['label']} | failed | | | | | |")
            continue
        ratio = r["steady"] / scratch["steady"] if scratch else None
        acc = f"{100 * r['test_accuracy']:.2f} %" if r.get("test_accuracy") is not None else "—"
        blas = r.get("blas", "—") if r["impl"] != "scratchnet" else "—"
        lines.append(f"| {r['label']} | {fmt(r['first_epoch'])} | {fmt(r['steady'])} | {fmt(r['fastest_epoch'])} | "
                     f"{acc} | {blas} | "
                     f"{fmt(ratio, 2) + 'x' if ratio else '—'} |")
    lines.append("")
    for impl, r in sorted(best.items()):
        lines.append(f"- fastest {impl}: {r['label']}: {r['steady']:.3f} s/epoch"
                     + (f", {r['steady'] / scratch['steady']:.2f}x scratchnet's time" if scratch else ""))
    if torch_note:
        lines.append(f"- {torch_note}")
    if fastest:
        quickest = min(best.values(), key=lambda r: r["fastest_epoch"])
        for r in [r for r in ok if r["impl"] == "scratchnet"]:
            lines.append(f"- {r['label']}: {r['steady']:.3f} s/epoch vs fastest baseline ({fastest['label']}) "
                         f"{fastest['steady']:.3f} s/epoch: **{fastest['steady'] / r['steady']:.2f}x**; fastest epoch "
                         f"{r['fastest_epoch']:.3f} s vs {quickest['fastest_epoch']:.3f} s ({quickest['label']}): "
                         f"**{quickest['fastest_epoch'] / r['fastest_epoch']:.2f}x**")
    inferring = [r for r in ok if r.get("inference_seconds")]
    if inferring:
        lines += ["", f"Inference of the 10,000 test images with the trained network (argmax of the forward pass), the "
                      f"fastest of {args.inference_passes} passes; last column: images/s over the fastest baseline's.",
                  "", "| run | seconds | images/s | ÷ fastest baseline |", "|---|---:|---:|---:|"]
        base = [r for r in inferring if r["impl"] != "scratchnet"]
        best_base = min(base, key=lambda r: r["inference_seconds"]) if base else None
        for r in inferring:
            ratio = best_base["inference_seconds"] / r["inference_seconds"] if best_base else None
            lines.append(f"| {r['label']} | {r['inference_seconds']:.4f} | "
                         f"{r['inference_images'] / r['inference_seconds']:,.0f} | "
                         f"{fmt(ratio, 2) + 'x' if ratio else '—'} |")
        if best_base:
            lines.append("")
            lines.append(f"- fastest baseline inference: {best_base['label']}: "
                         f"{best_base['inference_images'] / best_base['inference_seconds']:,.0f} images/s")
    if peak:
        lines.append("- FMA peak (`scratchnet info --peak`, this run): "
                     + ", ".join(f"{g:.1f} GFLOPS on {t} thread{'s' if t > 1 else ''}" for t, g in sorted(peak.items())))
        flop = epoch_flop(args.layers)
        for r in [r for r in ok if r["impl"] == "scratchnet"]:
            p = peak.get(r["threads"])
            if p:
                lines.append(f"- {r['label']}: fastest epoch {flop / r['fastest_epoch'] * 1e-9:.1f} GFLOPS = "
                             f"{100 * flop / r['fastest_epoch'] * 1e-9 / p:.0f} % of the {r['threads']}-thread peak")
        for r in small:
            p = peak.get(r["threads"])
            fastest_small = min(r["epoch_seconds"][1:] or r["epoch_seconds"])
            g = epoch_flop(r["layers"]) / fastest_small * 1e-9
            lines.append(f"- scratchnet {r['layers'].replace(',', '-')} (784 in, 10 out), JDK {r['jdk']}, "
                         f"{r['threads']} thread{'s' if r['threads'] > 1 else ''}: fastest epoch {fastest_small:.3f} s, "
                         f"{g:.1f} GFLOPS" + (f" = {100 * g / p:.0f} % of the peak" if p else ""))
    if memory:
        lines.append(f"- -Xmx128m, 1 epoch, 2 threads, JDK {java_version(java)[0]}: {'trained' if memory['ok'] else 'FAILED'}, peak RSS "
                     f"{fmt(memory['max_rss_mib'], 0)} MiB, wall {fmt(memory['wall_seconds'], 1)} s")
    torch_r = next((r for r in results if r["impl"] == "torch"), None)
    if torch_r:
        lines.append(f"- torch {torch_r['version']}: {torch_r.get('torch_blas_info')}; loaded: "
                     f"{', '.join(torch_r['blas_detail'].get('mapped', []))}")
    np_r = next((r for r in results if r["impl"] == "numpy"), None)
    if np_r:
        lines.append(f"- numpy {np_r['version']}; loaded: {', '.join(np_r['blas_detail'].get('mapped', []))}")
    lines.append(f"- data: {data}; baselines run by {py}; scratchnet by "
                 + "; ".join(f"{jv} ({java_version(jv)[1]})" for jv in java_list) + f", {' '.join(java_cmd[1:])}")
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown + ".tmp", "w") as f:
            f.write(text + "\n")
        os.replace(args.markdown + ".tmp", args.markdown)
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump({"started": started, "settings": vars(args), "results": results, "memory": memory,
                       "peak": peak, "small": small}, f, indent=1)
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    main()
