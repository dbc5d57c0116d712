#!/usr/bin/env python3
"""Regenerates the tables of BENCHMARKS.md from the committed result files in bench/results/.

Standard library only; any python3 runs it. Usage:
  python3 bench/report.py [--results bench/results] [--out BENCHMARKS.md]

The results directory holds one directory per result set, as bench/run.sh writes them, each file with a metadata
file beside it (NAME.meta.json: machine, JDK, date, commit and the exact command; bench/meta.py):
  jmh/         JMH JSON of the default subset, jdkNN-K.json per JMH invocation
  gemm-forks/  JMH JSON of the 1-thread FMA peak and gemm in several forks
  step-gemms/  JMH JSON of the 1-thread FMA peak and gemm at every shape of a training step and an inference chunk
               (bench/run.sh --step-gemms; `report.py --step-gemm-shapes` prints them); it also gets the table of
               ceilings, the % of the peak a step would reach if its gemms were all it did
  <name>/      JMH JSON of any other run (bench/run.sh --only REGEX --name NAME); ejml-gemm/ (EjmlGemmBenchmark
               with the 1-thread FMA peak) also gets its own table and a row among the targets
  compare/     compare.md and compare.json of the end-to-end comparison (bench/compare/compare.py)
  profile/     profile.md (bench/profile.py)
  reproduce/   results.md/.csv/.json of `scratchnet reproduce`, its wall time in reproduce.meta.json

Each set becomes the block of the output file between `<!-- BEGIN GENERATED: <set> -->` and
`<!-- END GENERATED: <set> -->`, and the block `targets` is computed from all of them. Only those blocks are
replaced; the hand-written text around them is kept, a block with no result set is left as it is, and the block of a
new set is appended. Every block starts with where its figures come from: CPU, cores, JDK, date, commit, command.

What is computed, and from what:
  GFLOPS        the benchmark's secondary metric `gflop` (a rate in 10^9 flop per second) or `flop`; a counter in
                average-time mode (time per counted unit) is inverted
  % of peak     GFLOPS / the FmaPeakBenchmark GFLOPS of the same set, JDK and thread count
  vector/scalar GFLOPS (or rate) of the vector row over the scalar row of the same shape, threads and JDK
  2 thr / 1 thr GFLOPS (or rate) on 2 threads over 1 thread, same backend and JDK
  per fork      the mean of each fork's measurement iterations (sets run with more than one fork)
  ceiling       the flops of a step's gemms over the sum of each gemm's time at its own 1-thread JMH rate
                (2·m·n·k / GFLOPS), against the 1-thread FMA peak: what the step would reach with nothing but gemm
"""
import argparse
import json
import os
import re
import statistics
import sys
from collections import OrderedDict

UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0}
NON_JMH_SETS = ("compare", "profile", "reproduce")
MNIST_TRAIN = 60000


# ------------------------------------------------------------------------------------------------ numbers

def rate_per_second(metric):
    """A JMH metric as events per second: 'ops/us' style is a rate, 'us/op' style (average time) is inverted."""
    if not metric:
        return None
    return rate_of(metric["score"], metric["scoreUnit"])


def rate_of(score, unit):
    m = re.fullmatch(r"(?:ops|#)/(\w+)", unit)
    if m and m.group(1) in UNIT_SECONDS:
        return score / UNIT_SECONDS[m.group(1)]
    m = re.fullmatch(r"(\w+)/op", unit)
    if m and m.group(1) in UNIT_SECONDS and score > 0:
        return 1.0 / (score * UNIT_SECONDS[m.group(1)])
    return None


class Result:
    """One JMH result record (one benchmark method at one parameter combination)."""

    def __init__(self, entry):
        self.entry = entry
        parts = entry["benchmark"].split(".")
        self.cls, self.method = parts[-2], parts[-1]
        self.params = dict(entry.get("params") or {})
        self.jdk = entry.get("jdkVersion", "?")
        self.jdk_major = self.jdk.split(".")[0]
        name = self.method.lower()
        self.backend = self.params.pop("backend", None) or next((b for b in ("scalar", "vector") if b in name), None)
        base = re.sub(r"(?i)_?(scalar|vector)_?", "", self.method) if self.backend else self.method
        self.base = base or "-"
        self.threads = int(self.params.pop("threads", entry.get("threads", 1)))
        secondary = entry.get("secondaryMetrics") or {}
        self.gflops = gflops_of(secondary)
        self.rate = rate_per_second(entry["primaryMetric"])
        self.secondary = {k: rate_per_second(v) for k, v in secondary.items()}
        self.primary = entry["primaryMetric"]
        self.forks = int(entry.get("forks") or 1)

    def per_fork(self):
        """GFLOPS (or the primary rate) of each fork: the mean of its measurement iterations."""
        secondary = self.entry.get("secondaryMetrics") or {}
        metric, scale = self.primary, 1.0
        if "gflop" in secondary:
            metric = secondary["gflop"]
        elif "flop" in secondary:
            metric, scale = secondary["flop"], 1e-9
        out = []
        for fork in metric.get("rawData") or []:
            rates = [rate_of(x, metric["scoreUnit"]) for x in fork]
            rates = [r * scale for r in rates if r is not None]
            if rates:
                out.append(statistics.mean(rates))
        return out


def gflops_of(secondary):
    gflop = rate_per_second(secondary.get("gflop"))          # counter in units of 10^9 flop
    flop = rate_per_second(secondary.get("flop"))            # counter in flop
    return gflop if gflop else (flop / 1e9 if flop else None)


def fmt(x, digits=1):
    if x is None:
        return "—"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt_ratio(r):
    return "—" if r is None else f"{r:.2f}x"


def pct(x):
    return "—" if x is None else f"{100 * x:.0f} %"


# ------------------------------------------------------------------------------------------------ result sets

class ResultSet:
    """One directory of bench/results: its files, their metadata, and for JMH sets the parsed results."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.metas = []
        self.results = []
        self.files = {}
        for f in sorted(os.listdir(path), key=natural):
            full = os.path.join(path, f)
            if f.endswith(".meta.json"):
                self.metas.append(read_json(full))
            elif f.endswith(".json") and self.name not in NON_JMH_SETS:
                text = open(full).read().strip()
                if not text:
                    print(f"report: {full} is empty (JMH run interrupted?), skipped", file=sys.stderr)
                    continue
                self.results.extend(Result(e) for e in json.loads(text))
            self.files[f] = full

    def read(self, name):
        p = self.files.get(name)
        return open(p).read() if p else None


def natural(name):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def read_json(path):
    with open(path) as f:
        return json.load(f)


def load_sets(results_dir):
    if not os.path.isdir(results_dir):
        print(f"report: no results directory {results_dir}", file=sys.stderr)
        return OrderedDict()
    sets = OrderedDict()
    for d in sorted(os.listdir(results_dir)):
        full = os.path.join(results_dir, d)
        if os.path.isdir(full) and not d.startswith("."):
            s = ResultSet(full)
            if s.metas or s.results:
                sets[d] = s
    return sets


# ------------------------------------------------------------------------------------------------ provenance

def distinct(values):
    return list(OrderedDict((v, None) for v in values if v not in (None, "")))


def machine_line(m):
    topo = []
    if m.get("sockets") and m.get("cores_per_socket") and m.get("threads_per_core"):
        topo.append(f"{m['sockets']} socket(s) × {m['cores_per_socket']} core(s) × {m['threads_per_core']} "
                    f"thread(s) per core")
    if m.get("simd"):
        topo.append("/".join(m["simd"]))
    caches = m.get("caches") or {}
    if caches:
        topo.append(", ".join(f"{k.replace(' cache', '')} {v}" for k, v in caches.items()))
    if m.get("hypervisor"):
        topo.append(f"virtual machine ({m['hypervisor']})")
    return f"{m.get('cpu', '?')}, {m.get('cpus', '?')} CPUs" + (f" ({'; '.join(topo)})" if topo else "") \
        + (f", {m['os']}" if m.get("os") else "")


def provenance(s, extra=""):
    """The lines that say where a set's figures come from: date, commit, machine, JDKs, the command(s)."""
    metas = s.metas
    if not metas:
        return [f"Result set `{rel(s.path)}` (no metadata files).", ""]
    dates = distinct(m.get("date", "")[:10] for m in metas)
    commits = distinct(m.get("commit", "") + (" (with uncommitted changes)" if m.get("dirty") else "")
                       for m in metas)
    machines = distinct(machine_line(m.get("machine") or {}) for m in metas)
    jdks = distinct(f"{j['version']} ({j['vendor']})" for m in metas for j in m.get("jdks") or [])
    drivers = distinct(m.get("driver") for m in metas)
    lines = [f"Measured {', '.join(dates)} at commit {', '.join(commits) or '?'}"
             + (f" by `{drivers[0]}`" if len(drivers) == 1 else "") + f"; files in `{rel(s.path)}/`.", ""]
    lines.append(f"- CPU: {'; '.join(machines)}")
    if jdks:
        lines.append(f"- JDK: {', '.join(jdks)}")
    if extra:
        lines.append(f"- {extra}")
    commands = [m.get("command", "?") for m in metas]
    if len(commands) == 1:
        lines.append(f"- command: `{commands[0]}`")
    else:
        lines += ["", "<details><summary>the " + str(len(commands)) + " commands</summary>", ""]
        lines += [f"- `{c}`" for c in commands]
        lines += ["", "</details>"]
    lines.append("")
    return lines


def rel(path):
    """A path as the reader of the document should see it: relative to the repository when inside it."""
    r = os.path.relpath(path)
    return os.path.abspath(path) if r.startswith("..") else r


def jmh_settings(results):
    seen = OrderedDict()
    for r in results:
        e = r.entry
        seen[(f"JMH {e.get('jmhVersion')}, {e.get('forks')} fork(s), warm-up {e.get('warmupIterations')} x "
              f"{e.get('warmupTime')}, measurement {e.get('measurementIterations')} x {e.get('measurementTime')}")] = None
    return "; ".join(seen)


# ------------------------------------------------------------------------------------------------ JMH tables

def jdks(results):
    return sorted({r.jdk_major for r in results}, key=lambda v: int(v) if v.isdigit() else 0)


def peaks(results):
    """{jdk: {threads: GFLOPS}} from FmaPeakBenchmark."""
    out = {}
    for r in results:
        if r.cls == "FmaPeakBenchmark" and r.gflops:
            out.setdefault(r.jdk_major, {})[r.threads] = r.gflops
    return out


def peak_table(results, versions):
    pk = peaks(results)
    if not pk:
        return []
    lines = ["#### Vector FMA peak (FmaPeakBenchmark)", "",
             "| threads | " + " | ".join(f"GFLOPS JDK {v}" for v in versions) + " |",
             "|---:|" + "---:|" * len(versions)]
    for t in sorted({t for v in pk.values() for t in v}):
        lines.append(f"| {t} | " + " | ".join(fmt(pk.get(v, {}).get(t)) for v in versions) + " |")
    lines.append("")
    return lines


def index(results, cls):
    """{(base, params tuple, threads): {jdk: {backend: Result}}} for one class."""
    table = OrderedDict()
    for r in results:
        if r.cls != cls:
            continue
        key = (r.base, tuple(sorted(r.params.items())), r.threads)
        table.setdefault(key, {}).setdefault(r.jdk_major, {})[r.backend] = r
    return table


def shape_of(params):
    p = dict(params)
    return p.pop("shape", None) or " ".join(f"{k}={v}" for k, v in sorted(p.items())) or "—"


def shape_dims(shape):
    """[M, K, N] of a GemmBenchmark shape `LAYOUT:MxKxN` (the numbers in it)."""
    return [int(d) for d in re.findall(r"\d+", shape)]


def gemm_order(params):
    shape = dict(params).get("shape", "")
    dims = shape_dims(shape)
    return (-(dims[0] * dims[1] * dims[2]) if len(dims) == 3 else 0, shape)


def gemm_table(results, versions):
    table = index(results, "GemmBenchmark")
    if not table:
        return []
    pk = peaks(results)
    cols = []
    for v in versions:
        cols += [f"scalar GFLOPS {v}", f"vector GFLOPS {v}", f"% of peak {v}", f"vector/scalar {v}", f"2 thr/1 thr {v}"]
    lines = ["#### gemm (GemmBenchmark): GFLOPS = 2·m·n·k / time", "",
             "Shape `LAYOUT:MxKxN`: op(A) is M×K, op(B) K×N. % of peak: vector GFLOPS over the FMA peak on as many "
             "threads. 2 thr/1 thr: vector GFLOPS on 2 threads over 1 thread.", "",
             "| shape | threads | " + " | ".join(cols) + " |", "|---|---:|" + "---:|" * len(cols)]
    for (base, params, threads), per_jdk in sorted(table.items(), key=lambda kv: (gemm_order(kv[0][1]), kv[0][2])):
        cells = []
        for v in versions:
            row = per_jdk.get(v, {})
            s, x = row.get("scalar"), row.get("vector")
            sg, xg = s.gflops if s else None, x.gflops if x else None
            one = table.get((base, params, 1), {}).get(v, {}).get("vector")
            scaling = ratio(xg, one.gflops) if threads == 2 and one and one.gflops else None
            cells += [fmt(sg), fmt(xg), pct(ratio(xg, pk.get(v, {}).get(threads))), fmt_ratio(ratio(xg, sg)),
                      fmt_ratio(scaling)]
        lines.append(f"| {shape_of(params)} | {threads} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def network_table(results, versions):
    lines = []
    pk = peaks(results)
    for cls, title, counter in (("TrainingStepBenchmark", "Training step (forward + backward + EMA update)", "steps"),
                                ("InferenceBenchmark", "Batch inference (predict)", "images")):
        table = index(results, cls)
        if not table:
            continue
        cols = []
        for v in versions:
            if counter == "steps":
                cols += [f"scalar ms/step {v}", f"vector ms/step {v}", f"vector s/MNIST epoch {v}"]
            else:
                cols += [f"scalar ms/call {v}", f"vector ms/call {v}", f"vector images/s {v}"]
            cols += [f"vector GFLOPS {v}", f"% of peak {v}", f"vector/scalar {v}"]
        lines += [f"#### {title} ({cls})", ""]
        if counter == "steps":
            lines += ["ms/step = 1000 / steps per second (each invocation is one trainer epoch over `examples` random "
                      "examples, so shuffle, batch copy and per-epoch bookkeeping are included); s/MNIST epoch = "
                      "60000 / batch steps at that rate (JIT warm-up excluded).", ""]
        else:
            lines += ["ms/call: one `Network.predict` over all `images` random images.", ""]
        lines += ["| net, params | threads | " + " | ".join(cols) + " |", "|---|---:|" + "---:|" * len(cols)]
        for (base, params, threads), per_jdk in table.items():
            p = dict(params)
            cells = []
            for v in versions:
                row = per_jdk.get(v, {})
                s, x = row.get("scalar"), row.get("vector")
                xg = x.gflops if x else None
                if counter == "steps":
                    third = fmt(epoch_seconds(x), 3)
                else:
                    third = fmt(x.secondary.get("images") if x else None, 0)
                cells += [fmt(per_call_ms(s, counter), 2), fmt(per_call_ms(x, counter), 3), third, fmt(xg),
                          pct(ratio(xg, pk.get(v, {}).get(threads))), fmt_ratio(ratio(xg, s.gflops if s else None))]
            label = ", ".join(f"{k} {val}" for k, val in sorted(p.items()))
            lines.append(f"| {label} | {threads} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def per_call_ms(r, counter):
    if not r:
        return None
    if counter == "steps":
        rate = r.secondary.get("steps")
        return 1000.0 / rate if rate else None
    return 1000.0 / r.rate if r.rate else None


def epoch_seconds(r):
    """Seconds per MNIST epoch at a training-step result's rate."""
    rate = r.secondary.get("steps") if r else None
    return MNIST_TRAIN / int(r.params.get("batch", 128)) / rate if rate else None


def generic_tables(results, versions):
    """Every other class: primary score per backend, and the vector/scalar ratio (oriented so > 1 is faster)."""
    lines = []
    known = {"FmaPeakBenchmark", "GemmBenchmark", "TrainingStepBenchmark", "InferenceBenchmark", "EjmlGemmBenchmark"}
    for cls in OrderedDict((r.cls, None) for r in results):
        if cls in known:
            continue
        table = index(results, cls)
        if not any(r.backend for r in results if r.cls == cls):
            lines += plain_table(cls, table, versions)
            continue
        cols = []
        for v in versions:
            cols += [f"scalar {v}", f"vector {v}", f"vector/scalar {v}"]
        has_gflops = any(r.gflops for r in results if r.cls == cls)
        if has_gflops:
            cols += [f"vector GFLOPS {v}" for v in versions]
        lines += [f"#### {cls}", "", "Scores as JMH reports them (unit in each cell); vector/scalar > 1 means the "
                  "vector kernel is faster.", "",
                  "| benchmark | params | threads | " + " | ".join(cols) + " |",
                  "|---|---|---:|" + "---:|" * len(cols)]
        for (base, params, threads), per_jdk in table.items():
            cells, gcells = [], []
            for v in versions:
                row = per_jdk.get(v, {})
                s, x = row.get("scalar"), row.get("vector")

                def cell(r):
                    return f"{fmt(r.primary['score'], 3)} {r.primary['scoreUnit']}" if r else "—"
                if not s and not x and None in row:
                    cells += [cell(row[None]), "", ""]
                else:
                    cells += [cell(s), cell(x), fmt_ratio(ratio(x.rate if x else None, s.rate if s else None))]
                gcells.append(fmt(x.gflops if x else None))
            lines.append(f"| {base} | {' '.join(f'{k}={v}' for k, v in params) or '—'} | {threads} | "
                         + " | ".join(cells + (gcells if has_gflops else [])) + " |")
        lines.append("")
    return lines


def ejml_table(results, versions):
    """EjmlGemmBenchmark: the kernels' gemm against EJML's on one thread, their ratio, and each as % of the FMA peak."""
    rows = [r for r in results if r.cls == "EjmlGemmBenchmark"]
    if not rows:
        return []
    pk = peaks(results)
    lines = ["#### gemm against EJML (EjmlGemmBenchmark), 1 thread", "",
             "GFLOPS of `Kernels.gemm` and of EJML's `CommonOps_FDRM.mult` on the same data; % of peak: over the "
             "1-thread FMA peak of the same JDK in this set.", "",
             "| shape (M×K×N) | JDK | scratchnet GFLOPS | EJML GFLOPS | scratchnet / EJML | scratchnet % of peak "
             "| EJML % of peak |", "|---|---|--:|--:|--:|--:|--:|"]
    shapes = list(OrderedDict((r.params.get("shape"), None) for r in rows))
    for shape in shapes:
        for v in versions:
            ours = next((r for r in rows if r.jdk_major == v and r.params.get("shape") == shape
                         and r.params.get("library") == "scratchnet"), None)
            theirs = next((r for r in rows if r.jdk_major == v and r.params.get("shape") == shape
                           and r.params.get("library") == "ejml"), None)
            if not ours and not theirs:
                continue
            peak = pk.get(v, {}).get(1)
            g1, g2 = (ours.gflops if ours else None), (theirs.gflops if theirs else None)
            lines.append(f"| {shape} | {v} | {fmt(g1)} | {fmt(g2, 2)} | {fmt_ratio(ratio(g1, g2))} | "
                         f"{pct(ratio(g1, peak))} | {pct(ratio(g2, peak))} |")
    lines.append("")
    return lines


def plain_table(cls, table, versions):
    """A class without scalar and vector variants: its score per parameter combination and JDK, as JMH reports it."""
    lines = [f"#### {cls}", "", "Scores as JMH reports them.", "",
             "| benchmark | params | threads | " + " | ".join(f"JDK {v}" for v in versions) + " |",
             "|---|---|---:|" + "---:|" * len(versions)]
    for (base, params, threads), per_jdk in table.items():
        cells = []
        for v in versions:
            r = per_jdk.get(v, {}).get(None)
            cells.append(f"{fmt(r.primary['score'], 3)} {r.primary['scoreUnit']}" if r else "—")
        lines.append(f"| {base} | {' '.join(f'{k}={val}' for k, val in params) or '—'} | {threads} | "
                     + " | ".join(cells) + " |")
    lines.append("")
    return lines


def fork_table(results):
    """Per-fork figures of every result run in more than one fork, and each gemm against the set's FMA peak; results
    without a flop count get their own table of scores in JMH's unit."""
    multi = [r for r in results if r.forks > 1 and (r.gflops or r.cls == "FmaPeakBenchmark")]
    others = [r for r in results if r.forks > 1 and r not in multi]
    if not multi:
        return score_fork_table(others)
    lines = ["#### Per fork", "",
             "GFLOPS of each fork (the mean of its measurement iterations). % of peak: the gemm's mean over the mean "
             "FMA peak of the same JDK and thread count in this set; in brackets the forks' range against that "
             "mean peak.", "",
             "| benchmark | shape | threads | JDK | per fork | mean | % of peak |", "|---|---|---:|---|---|--:|--:|"]
    peak_forks = {}
    for r in multi:
        if r.cls == "FmaPeakBenchmark":
            peak_forks[(r.jdk_major, r.threads)] = r.per_fork()
    for r in sorted(multi, key=lambda r: (r.cls != "FmaPeakBenchmark", r.cls, shape_of(r.params.items()), r.threads,
                                          int(r.jdk_major) if r.jdk_major.isdigit() else 0)):
        forks = r.per_fork()
        if not forks:
            continue
        mean = statistics.mean(forks)
        share = "—"
        peak = peak_forks.get((r.jdk_major, r.threads))
        if r.cls != "FmaPeakBenchmark" and peak:
            mp = statistics.mean(peak)
            share = f"{100 * mean / mp:.1f} % ({100 * min(forks) / mp:.1f}–{100 * max(forks) / mp:.1f} %)"
        name = r.cls + ("." + r.method if r.cls == "FmaPeakBenchmark" else "") \
            + (f" ({r.backend})" if r.backend else "") + (f" ({r.params['library']})" if "library" in r.params else "")
        lines.append(f"| {name} | {shape_of(r.params.items())} | {r.threads} | {r.jdk_major} | "
                     f"{', '.join(fmt(x) for x in forks)} | {fmt(mean)} | {share} |")
    lines.append("")
    return lines + score_fork_table(others)


def score_fork_table(results):
    """Per-fork scores, in JMH's unit, of results without a flop count (one fork's score: its iterations' mean)."""
    if not results:
        return []
    lines = ["#### Per fork, scores", "",
             "Each fork's score (the mean of its measurement iterations) in JMH's unit, beside the mean of all.", "",
             "| benchmark | params | threads | JDK | per fork | mean | unit |", "|---|---|---:|---|---|--:|---|"]
    for r in sorted(results, key=lambda r: (r.cls, r.method, sorted(r.params.items()), r.threads,
                                            int(r.jdk_major) if r.jdk_major.isdigit() else 0)):
        forks = [statistics.mean(f) for f in r.primary.get("rawData") or [] if f]
        if not forks:
            continue
        params = " ".join(f"{k}={v}" for k, v in r.params.items()) or "—"
        lines.append(f"| {r.cls}.{r.method} | {params} | {r.threads} | {r.jdk_major} | "
                     f"{', '.join(fmt(x) for x in forks)} | {fmt(r.primary['score'])} | {r.primary['scoreUnit']} |")
    lines.append("")
    return lines


def jmh_block(s):
    versions = jdks(s.results)
    return provenance(s, jmh_settings(s.results)) + peak_table(s.results, versions) \
        + gemm_table(s.results, versions) + network_table(s.results, versions) + ejml_table(s.results, versions) \
        + fork_table(s.results) + generic_tables(s.results, versions)


# ------------------------------------------------------------------------------------------------ ceilings

# (what, kind, layer sizes, rows): a training step (forward, input gradients of layers 2..L, weight gradients) or one
# inference chunk (forward only; records 0010 and 0024 give the chunk and the step).
CEILINGS = (("training step, 784-200-100-25-10, batch 128", "step", (784, 200, 100, 25, 10), 128),
            ("training step, 784-100-50-10, batch 128", "step", (784, 100, 50, 10), 128),
            ("inference, 784-200-100-25-10, a chunk of 256 rows", "inference", (784, 200, 100, 25, 10), 256))


def ceiling_calls(kind, sizes, m):
    """(shape, the call in words) of each gemm call of one step or chunk of m rows through these layers, as
    GemmBenchmark shapes `LAYOUT:MxKxN`: forward X·W (NN m×n_in×n_out); the input gradient dZ·Wᵀ from the transposed
    copy of W read in place (NN m×n_out×n_in, layers 2..L); the weight gradient Xᵀ·dZ (TN n_in×m×n_out)."""
    pairs = list(zip(sizes, sizes[1:]))
    calls = [(f"NN:{m}x{a}x{b}", "X·W (forward)") for a, b in pairs]
    if kind == "step":
        calls += [(f"NN:{m}x{b}x{a}", "dZ·Wᵀ (input gradient)") for a, b in pairs[1:]]
        calls += [(f"TN:{a}x{m}x{b}", "Xᵀ·dZ (weight gradient)") for a, b in pairs]
    return calls


def ceiling_shapes(kind, sizes, m):
    return [shape for shape, _ in ceiling_calls(kind, sizes, m)]


def all_ceiling_shapes():
    out = []
    for _, kind, sizes, m in CEILINGS:
        out += [x for x in ceiling_shapes(kind, sizes, m) if x not in out]
    return out


def vector_rates(results):
    """{(jdk, shape): GFLOPS} of the vector gemm on 1 thread."""
    return {(r.jdk_major, r.params.get("shape")): r.gflops for r in results
            if r.cls == "GemmBenchmark" and r.backend == "vector" and r.threads == 1 and r.gflops}


def step_shape_table(results, versions):
    """Each gemm call of the ceilings once: its shape, what it computes, where it is used, its rate per JDK."""
    pk = peaks(results)
    rates = vector_rates(results)
    calls = OrderedDict()
    for what, kind, sizes, m in CEILINGS:
        for shape, name in ceiling_calls(kind, sizes, m):
            use = "-".join(map(str, sizes)) + (" training step" if kind == "step" else " inference")
            calls.setdefault(shape, [name, []])[1].append(use)
    cols = []
    for v in versions:
        cols += [f"GFLOPS {v}", f"% of peak {v}"]
    lines = ["#### gemm at each call of a step (GemmBenchmark, vector, 1 thread): GFLOPS = 2·m·n·k / time", "",
             "Shape `LAYOUT:MxKxN`: op(A) is M×K, op(B) K×N. % of peak: over the 1-thread FMA peak of the same JDK.",
             "", "| shape | call | in | " + " | ".join(cols) + " |", "|---|---|---|" + "--:|" * len(cols)]
    for shape, (name, uses) in calls.items():
        cells = []
        for v in versions:
            g = rates.get((v, shape))
            cells += [fmt(g), pct(ratio(g, pk.get(v, {}).get(1)))]
        lines.append(f"| {shape} | {name} | {'; '.join(uses)} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def ceiling_table(results, versions):
    """Per JDK: each step's gemm flops, their time at each shape's 1-thread rate, and that rate against the peak."""
    pk = peaks(results)
    rates = vector_rates(results)
    cols = []
    for v in versions:
        cols += [f"gemm µs {v}", f"GFLOPS {v}", f"% of peak {v}"]
    lines = ["#### Ceiling: the step's gemms alone, 1 thread", "",
             "Each gemm call of the step at its own rate above (time = 2·m·n·k / GFLOPS), summed; GFLOPS = the "
             "step's gemm flops over that time; % of peak: over the 1-thread FMA peak of the same JDK. Nothing "
             "outside gemm is counted (gather, bias, ReLU, softmax, the optimiser, copies, waiting): a whole step "
             "adds that time, and a step on 2 threads splits each gemm into smaller ones against twice the peak, so "
             "neither can be expected to reach this figure.", "",
             "| step | gemm calls | MFLOP | " + " | ".join(cols) + " |", "|---|--:|--:|" + "--:|" * len(cols)]
    for what, kind, sizes, m in CEILINGS:
        shapes = ceiling_shapes(kind, sizes, m)
        flops = [2 * a * b * c for a, b, c in map(shape_dims, shapes)]
        cells = []
        for v in versions:
            have = [rates.get((v, x)) for x in shapes]
            peak = pk.get(v, {}).get(1)
            if not all(have):
                missing = [x for x, g in zip(shapes, have) if not g]
                cells += ["missing " + ", ".join(missing), "—", "—"]
                continue
            seconds = sum(f / (g * 1e9) for f, g in zip(flops, have))
            gflops = sum(flops) / seconds / 1e9
            cells += [fmt(seconds * 1e6), fmt(gflops), pct(ratio(gflops, peak))]
        lines.append(f"| {what} | {len(shapes)} | {fmt(sum(flops) / 1e6, 2)} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def step_gemms_block(s):
    versions = jdks(s.results)
    return provenance(s, jmh_settings(s.results)) + peak_table(s.results, versions) \
        + step_shape_table(s.results, versions) + ceiling_table(s.results, versions)


# ------------------------------------------------------------------------------------------------ other sets

def compare_block(s):
    body = s.read("compare.md")
    return provenance(s) + ([body.rstrip(), ""] if body else ["(no compare.md)", ""])


def profile_block(s):
    body = s.read("profile.md")
    return provenance(s) + ([body.rstrip(), ""] if body else ["(no profile.md)", ""])


def reproduce_block(s):
    meta = s.metas[0] if s.metas else {}
    wall = meta.get("wall_seconds")
    lines = provenance(s, f"wall time of the whole command: {fmt(wall)} s" if wall is not None else "")
    body = s.read("results.md")
    if body:
        # the file's own title is the document's section heading here
        table = [line for line in body.rstrip().splitlines() if not line.startswith("#")]
        while table and not table[0].strip():
            table.pop(0)
        lines += table + [""]
    return lines


# ------------------------------------------------------------------------------------------------ targets

def find(results, cls, backend=None, threads=None, **params):
    for r in results:
        if r.cls == cls and (backend is None or r.backend == backend) and (threads is None or r.threads == threads) \
                and all(r.params.get(k) == v for k, v in params.items()):
            yield r


def targets_block(sets):
    """The project's targets against the figures of the result sets (a row says where its figure is missing)."""
    rows = []
    jmh = sets.get("jmh")
    forks = sets.get("gemm-forks")
    compare = read_json(sets["compare"].files["compare.json"]) if "compare" in sets \
        and "compare.json" in sets["compare"].files else None
    reproduce = sets.get("reproduce")

    # the training and inference targets (end-to-end comparison), for the targets' network and batch only
    settings = (compare or {}).get("settings") or {}
    peak = {int(k): v for k, v in ((compare or {}).get("peak") or {}).items()}
    if compare and (str(settings.get("layers")), settings.get("batch")) != ("200,100,25", 128):
        rows.append(("the training and inference targets", f"the comparison ran another network or batch (layers "
                     f"{settings.get('layers')}, batch {settings.get('batch')}): see its section", "—"))
    elif compare:
        rows += training_targets(compare, peak, jmh)
    else:
        rows.append(("the training and inference targets", "no comparison results (`bench/run.sh --compare`)", "—"))

    if reproduce and reproduce.metas:
        meta = reproduce.metas[0]
        full = not re.search(r"--(rows|seeds|epochs)\b", meta.get("command", ""))   # all rows, seeds, epochs
        results = read_json(reproduce.files["results.json"]) if "results.json" in reproduce.files else None
        compute = (results or {}).get("compute") or {}
        share = compute.get("percent_of_fma_peak")
        rows.append(("`scratchnet reproduce` (18 runs) at ≥ 60 % of the all-thread FMA peak over its wall time",
                     f"{fmt(compute.get('wall_seconds'))} s wall, {fmt(compute.get('gflop'), 0)} GFLOP, "
                     f"{fmt(compute.get('gflops'))} GFLOPS = {fmt(share, 0)} % of {fmt(compute.get('fma_peak_gflops'))} "
                     f"GFLOPS ({compute.get('fma_peak_source', '?')}), {compute.get('jobs', '?')} jobs of "
                     f"{compute.get('threads_per_job', '?')} thread" + ("" if full else
                                                                        f" (a partial run: `{meta.get('command')}`)"),
                     verdict(share is not None and share >= 60) if full else "—"))
    else:
        rows.append(("`scratchnet reproduce` at ≥ 60 % of the FMA peak", "no reproduce results "
                     "(`bench/run.sh --reproduce`)", "—"))

    if jmh:
        cells, ok = [], True
        for v in jdks(jmh.results):
            x = next((r for r in find(jmh.results, "GemmBenchmark", "vector", 1, shape="NN:128x784x200")
                      if r.jdk_major == v), None)
            s = next((r for r in find(jmh.results, "GemmBenchmark", "scalar", 1, shape="NN:128x784x200")
                      if r.jdk_major == v), None)
            q = ratio(x.gflops if x else None, s.gflops if s else None)
            cells.append(f"{fmt_ratio(q)} (JDK {v})")
            ok &= q is not None and q >= 20
        rows.append(("vector gemm ≥ 20x its scalar twin, 1 thread, 128×784×200", ", ".join(cells), verdict(ok)))
    source = forks if forks and any(r.forks > 1 for r in forks.results) else jmh
    if source:
        cells, ok = [], True
        for v in jdks(source.results):
            g = [r for r in find(source.results, "GemmBenchmark", "vector", 1, shape="NN:128x784x200")
                 if r.jdk_major == v]
            p = [r for r in find(source.results, "FmaPeakBenchmark", threads=1) if r.jdk_major == v]
            if not g or not p:
                continue
            gf = [x for r in g for x in r.per_fork()] or [g[0].gflops]
            pf = [x for r in p for x in r.per_fork()] or [p[0].gflops]
            share = statistics.mean(gf) / statistics.mean(pf)
            cells.append(f"{100 * share:.1f} % (JDK {v}, {len(gf)} fork{'s' if len(gf) > 1 else ''})")
            ok &= share >= 0.60
        rows.append(("vector gemm ≥ 60 % of the 1-thread FMA peak, 128×784×200", ", ".join(cells) or "—",
                     verdict(ok and bool(cells))))
    if jmh:
        cells, ok = [], True
        for shape in ("TN:784x128x200", "NN:1024x1024x1024"):
            for v in jdks(jmh.results):
                one = next((r for r in find(jmh.results, "GemmBenchmark", "vector", 1, shape=shape)
                            if r.jdk_major == v), None)
                two = next((r for r in find(jmh.results, "GemmBenchmark", "vector", 2, shape=shape)
                            if r.jdk_major == v), None)
                q = ratio(two.gflops if two else None, one.gflops if one else None)
                cells.append(f"{shape} {fmt_ratio(q)} (JDK {v})")
                ok &= q is not None and q >= 1.7
        rows.append(("vector gemm on 2 threads ≥ 1.7x 1 thread, TN 784×128×200 and NN 1024³", ", ".join(cells),
                     verdict(ok)))
    if not jmh:
        rows.append(("the gemm targets", "no JMH results (`bench/run.sh`)", "—"))
    ejml = sets.get("ejml-gemm")
    if ejml:
        cells, ok = [], True
        for v in jdks(ejml.results):
            peak = peaks(ejml.results).get(v, {}).get(1)
            need = 20 if peak and peak > 173 else 13
            for shape in ("128x784x200", "1024x1024x1024"):
                ours = next((r for r in find(ejml.results, "EjmlGemmBenchmark", library="scratchnet", shape=shape)
                             if r.jdk_major == v), None)
                theirs = next((r for r in find(ejml.results, "EjmlGemmBenchmark", library="ejml", shape=shape)
                               if r.jdk_major == v), None)
                q = ratio(ours.gflops if ours else None, theirs.gflops if theirs else None)
                cells.append(f"{shape} {fmt_ratio(q)} (JDK {v}, FMA peak {fmt(peak)} GFLOPS: needs {need}x)")
                ok &= q is not None and q >= need
        rows.append(("gemm ≥ 20x EJML's `CommonOps_FDRM.mult` on 1 thread where the 1-thread FMA peak is ~230 "
                     "GFLOPS, ≥ 13x where it is ~116 (result set `ejml-gemm`)", "; ".join(cells) or "—",
                     verdict(ok and bool(cells))))

    return ["Each figure comes from the result set named in its row's section below.", "",
            "| target | measured | met? |", "|---|---|---|"] \
        + [f"| {t} | {m} | {ok} |" for t, m, ok in rows] + [""]


def verdict(ok):
    return "yes" if ok else "no"


EPOCH_FLOP = {"200,100,25": 45.822e9, "100,50": 20.796e9}


def fastest(seconds):
    """The fastest epoch after the first (the first includes the JIT warm-up)."""
    return min(seconds[1:] or seconds)


def training_targets(compare, peak, jmh):
    """Rows for the targets of the training step and of inference, from the comparison (and JMH for the step)."""
    rows = []
    runs = [r for r in compare.get("results", []) if r.get("epoch_seconds") and r.get("steady")]
    mine = [r for r in runs if r.get("impl") == "scratchnet"]
    two = [r for r in mine if r.get("threads") == 2]
    p2 = peak.get(2)
    cells = [f"{fastest(r['epoch_seconds']):.3f} s = {100 * EPOCH_FLOP['200,100,25'] / fastest(r['epoch_seconds']) / p2 / 1e9:.0f} % "
             f"(JDK {r.get('jdk', '?')})" for r in two] if p2 else []
    rows.append(("MNIST epoch of 784-200-100-25-10, batch 128, 2 threads, fastest epoch: ≥ 70 % of the 2-thread FMA "
                 f"peak ({fmt(p2)} GFLOPS, `info --peak` in the same run)", ", ".join(cells) or "—",
                 verdict(p2 and two and all(EPOCH_FLOP["200,100,25"] / fastest(r["epoch_seconds"]) / 1e9 >= 0.70 * p2
                                            for r in two))))
    small = [r for r in compare.get("small") or [] if r.get("threads") == 2 and r.get("layers") == "100,50"]
    cells = [f"{fastest(r['epoch_seconds']):.3f} s = {100 * EPOCH_FLOP['100,50'] / fastest(r['epoch_seconds']) / p2 / 1e9:.0f} % "
             f"(JDK {r.get('jdk', '?')})" for r in small] if p2 else []
    rows.append(("the same for 784-100-50-10: ≥ 60 %", ", ".join(cells) or "—",
                 verdict(p2 and small and all(EPOCH_FLOP["100,50"] / fastest(r["epoch_seconds"]) / 1e9 >= 0.60 * p2
                                              for r in small))))
    base = [r for r in runs if r.get("impl") != "scratchnet"]
    if base:
        by_mean = min(base, key=lambda r: r["steady"])
        by_epoch = min(base, key=lambda r: fastest(r["epoch_seconds"]))
        cells = [f"JDK {r.get('jdk', '?')}: {by_mean['steady'] / r['steady']:.2f}x by mean s/epoch, "
                 f"{fastest(by_epoch['epoch_seconds']) / fastest(r['epoch_seconds']):.2f}x by fastest epoch" for r in two]
        rows.append(("≥ 1.5x faster than the fastest NumPy or PyTorch setting in the same run (2 threads)",
                     f"fastest baseline by mean: {by_mean['label']} {by_mean['steady']:.3f} s/epoch; "
                     + "; ".join(cells),
                     verdict(two and all(by_mean["steady"] / r["steady"] >= 1.5
                                         and fastest(by_epoch["epoch_seconds"]) / fastest(r["epoch_seconds"]) >= 1.5
                                         for r in two))))
    if jmh:
        cells, ok = [], True
        for v in jdks(jmh.results):
            one = next((r for r in find(jmh.results, "TrainingStepBenchmark", "vector", 1) if r.jdk_major == v), None)
            twos = next((r for r in find(jmh.results, "TrainingStepBenchmark", "vector", 2) if r.jdk_major == v), None)
            q = ratio(twos.gflops if twos else None, one.gflops if one else None)
            cells.append(f"{fmt_ratio(q)} (JDK {v})")
            ok &= q is not None and q >= 1.8
        rows.append(("JMH training step on 2 threads ≥ 1.8x its 1 thread", ", ".join(cells), verdict(ok)))
    inferring = [r for r in runs if r.get("inference_seconds")]
    torch = [r for r in inferring if r.get("impl") == "torch"]
    anybase = [r for r in inferring if r.get("impl") != "scratchnet"]
    ours = [r for r in inferring if r.get("impl") == "scratchnet" and r.get("threads") == 2]
    if ours and torch:
        best_torch = min(torch, key=lambda r: r["inference_seconds"])
        best_any = min(anybase, key=lambda r: r["inference_seconds"])
        cells = [f"JDK {r.get('jdk', '?')}: {10000 / r['inference_seconds']:,.0f} images/s, "
                 f"{best_torch['inference_seconds'] / r['inference_seconds']:.2f}x PyTorch's best "
                 f"({10000 / best_torch['inference_seconds']:,.0f}), "
                 f"{best_any['inference_seconds'] / r['inference_seconds']:.2f}x the best of all baselines "
                 f"({best_any['label']})" for r in ours]
        rows.append(("inference of the 10,000 test images ≥ 2x PyTorch's best setting (2 threads)", "; ".join(cells),
                     verdict(all(best_torch["inference_seconds"] / r["inference_seconds"] >= 2 for r in ours))))
    mem = compare.get("memory")
    if mem:
        rows.append(("training fits in `-Xmx128m` (1 epoch, 2 threads)",
                     f"{'trained' if mem.get('ok') else 'failed'}, peak RSS {fmt(mem.get('max_rss_mib'), 0)} MiB",
                     verdict(mem.get("ok"))))
    return rows


# ------------------------------------------------------------------------------------------------ the document

def replace_block(text, name, body):
    begin = f"<!-- BEGIN GENERATED: {name} (bench/report.py; edits inside are overwritten) -->"
    end = f"<!-- END GENERATED: {name} -->"
    block = begin + "\n" + body.rstrip() + "\n" + end
    pattern = re.compile(re.escape(f"<!-- BEGIN GENERATED: {name} ") + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return text.rstrip() + f"\n\n### Result set `{name}`\n\n" + block + "\n"


SKELETON = """# scratchnet benchmarks

How fast the scalar and the vector kernels are, how close to the machine's peak they get, and how scratchnet compares
with PyTorch and NumPy on the same training run. The tables between the GENERATED markers are rewritten by
`bench/report.py` from the result files in `bench/results/`.
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--results", default="bench/results")
    p.add_argument("--out", default="BENCHMARKS.md")
    p.add_argument("--step-gemm-shapes", action="store_true",
                   help="print the gemm shapes of the ceiling table, comma-separated, and exit (bench/run.sh uses it)")
    args = p.parse_args()
    if args.step_gemm_shapes:
        print(",".join(all_ceiling_shapes()))
        return
    text = open(args.out).read() if os.path.exists(args.out) else SKELETON
    sets = load_sets(args.results)
    if any(name in sets for name in ("jmh", "gemm-forks", "compare", "reproduce")):
        text = replace_block(text, "targets", "\n".join(targets_block(sets)))
    for name, s in sets.items():
        if name == "compare":
            body = compare_block(s)
        elif name == "profile":
            body = profile_block(s)
        elif name == "reproduce":
            body = reproduce_block(s)
        elif name == "step-gemms":
            body = step_gemms_block(s)
        elif s.results:
            body = jmh_block(s)
        else:
            continue
        text = replace_block(text, name, "\n".join(body))
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, args.out)
    print(f"report: wrote {args.out} from {len(sets)} result set(s) in {args.results}", file=sys.stderr)


if __name__ == "__main__":
    main()
