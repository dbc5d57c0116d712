#!/usr/bin/env python3
"""Writes the metadata file that sits beside each result file in bench/results/: the machine (CPU model, sockets,
cores and threads from lscpu, SIMD flags, caches), the JDK(s), the date, the commit and the exact command that
produced the result. bench/report.py prints it with every table it generates.

Standard library only. Usage:
  python3 bench/meta.py --out RESULT.meta.json [--java JAVA]... [--set KEY=VALUE]... -- COMMAND...
"""
import argparse
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# result files and the document generated from them do not make a checkout "dirty"
GENERATED = ("bench/results", "BENCHMARKS.md")


def run(cmd, cwd=None):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return p if p.returncode == 0 else None


def lscpu():
    """lscpu's fields as a dict (empty where lscpu is missing, e.g. macOS)."""
    p = run(["lscpu"], cwd=ROOT)
    if not p:
        return {}
    fields = {}
    for line in p.stdout.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def number(text):
    return int(text) if text and text.isdigit() else text


def machine():
    f = lscpu()
    model = f.get("Model name") or platform.processor() or "unknown"
    flags = set((f.get("Flags") or "").split())
    if not flags and os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as info:
            m = re.search(r"^flags\s*:\s*(.*)$", info.read(), re.MULTILINE)
            flags = set(m.group(1).split()) if m else set()
    out = {
        "cpu": model,
        "cpus": number(f.get("CPU(s)")) or os.cpu_count(),
        "sockets": number(f.get("Socket(s)")),
        "cores_per_socket": number(f.get("Core(s) per socket")),
        "threads_per_core": number(f.get("Thread(s) per core")),
        "simd": [x for x in ("avx512f", "avx2", "fma", "asimd", "sve") if x in flags],
        "caches": {k: f[k] for k in ("L1d cache", "L2 cache", "L3 cache") if k in f},
        "hypervisor": f.get("Hypervisor vendor"),
        "os": f"{platform.system()} {platform.release()}",
    }
    return {k: v for k, v in out.items() if v not in (None, "", [], {})}


def jdk(java):
    """The JDK behind a java executable: runtime version, VM name, vendor."""
    p = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True)
    props = dict(re.findall(r"^\s*([\w.]+) = (.*)$", p.stderr, re.MULTILINE))
    return {"java": java, "version": props.get("java.runtime.version") or props.get("java.version", "?"),
            "vm": props.get("java.vm.name", "?"), "vendor": props.get("java.vendor", "?")}


def commit():
    head = run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT)
    if not head:
        return {}
    status = run(["git", "status", "--porcelain", "--untracked-files=no", "--", "."]
                 + [f":(exclude){p}" for p in GENERATED], cwd=ROOT)
    return {"commit": head.stdout.strip(), "dirty": bool(status and status.stdout.strip())}


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("meta: expected -- COMMAND... after the options (the command that produced the result)")
    i = argv.index("--")
    argv, command = argv[:i], argv[i + 1:]
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True)
    p.add_argument("--java", action="append", default=[], help="a java executable the command ran on; repeatable")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="an extra field (numbers are stored as numbers); repeatable")
    args = p.parse_args(argv)
    meta = {"command": shlex.join(command),
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    meta.update(commit())
    meta["machine"] = machine()
    meta["jdks"] = [jdk(j) for j in args.java]
    for kv in args.set:
        key, sep, value = kv.partition("=")
        if not sep:
            sys.exit(f"meta: expected KEY=VALUE after --set, found '{kv}'")
        meta[key] = float(value) if re.fullmatch(r"-?\d+(\.\d+)?", value) else value
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(meta, f, indent=1, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
