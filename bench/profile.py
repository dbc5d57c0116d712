#!/usr/bin/env python3
"""Where an epoch's time goes: runs `scratchnet train` under Java Flight Recorder and prints the share of CPU samples
per top-of-stack method and per thread, for the samples taken after epoch 1 (JIT warm-up) has finished.

Standard library only. Usage (after building cli/target/scratchnet.jar):
  python3 bench/profile.py [--java JAVA] [--top 20] [--markdown OUT.md] [--jfr FILE] [-- train arguments]
Default train arguments: --layers 200,100,25 --epochs 4 --batch 128 --lr 0.5 --momentum 0.9 --threads 2.
The tables go to stdout (and to --markdown); the recording is kept at bench/target/profile.jfr or --jfr (open it in
JDK Mission Control for more).
"""
import argparse
import collections
import datetime
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TRAIN = ["--layers", "200,100,25", "--epochs", "4", "--batch", "128", "--lr", "0.5", "--momentum", "0.9",
                 "--threads", "2"]


def parse_time(text):
    # JFR JSON times look like 2026-11-25T14:40:01.123456789Z (or with an offset)
    text = text.replace("Z", "+00:00")
    if "." in text:
        head, frac = text.split(".", 1)
        digits = "".join(c for c in frac if c.isdigit())
        tz = frac[len(digits):]
        text = f"{head}.{digits[:6]}{tz}"
    return datetime.datetime.fromisoformat(text).timestamp()


def frame_name(frame):
    method = frame.get("method", {})
    cls = method.get("type", {}).get("name", "?").replace("/", ".")
    return f"{cls.rsplit('.', 1)[-1]}.{method.get('name', '?')}"


def main():
    argv = sys.argv[1:]
    train_args = DEFAULT_TRAIN
    if "--" in argv:
        i = argv.index("--")
        argv, train_args = argv[:i], argv[i + 1:]
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--java", default=os.path.join(os.environ["JAVA_HOME"], "bin", "java")
                   if os.environ.get("JAVA_HOME") else "java")
    p.add_argument("--top", type=int, default=20)
    p.add_argument("--markdown", default=None, help="also write the tables to this file")
    p.add_argument("--jfr", default=os.path.join(ROOT, "bench", "target", "profile.jfr"), help="the recording")
    args = p.parse_args(argv)
    jar = os.path.join(ROOT, "cli", "target", "scratchnet.jar")
    if not os.path.exists(jar):
        sys.exit(f"profile: expected {jar}, found nothing; build it: ./mvnw -B -q -pl cli -am package -DskipTests")
    jfr_file = os.path.abspath(args.jfr)
    os.makedirs(os.path.dirname(jfr_file), exist_ok=True)
    cmd = [args.java, f"-XX:StartFlightRecording=filename={jfr_file},settings=profile",
           "--add-modules=jdk.incubator.vector", "-jar", jar, "train"] + train_args
    print("profile: " + " ".join(cmd), file=sys.stderr)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    after_epoch1 = None
    for line in proc.stdout:
        sys.stderr.write(line)
        if after_epoch1 is None and line.lstrip().startswith("epoch 1/"):
            after_epoch1 = time.time()
    if proc.wait() != 0:
        sys.exit(f"profile: train exited with {proc.returncode}")
    jfr_tool = os.path.join(os.path.dirname(args.java), "jfr") if os.path.dirname(args.java) else "jfr"
    dump = subprocess.run([jfr_tool, "print", "--json", "--events", "jdk.ExecutionSample", jfr_file],
                          capture_output=True, text=True, check=True).stdout
    events = json.loads(dump)["recording"]["events"]
    top, threads = collections.Counter(), collections.Counter()
    kept = 0
    for e in events:
        v = e["values"]
        if after_epoch1 and parse_time(v["startTime"]) < after_epoch1:
            continue
        frames = (v.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        kept += 1
        top[frame_name(frames[0])] += 1
        threads[(v.get("sampledThread") or {}).get("javaName", "?")] += 1
    if not kept:
        sys.exit("profile: no samples after epoch 1 (train more epochs)")
    lines = [f"Profile of `train {' '.join(train_args)}`: {kept} JFR execution samples after epoch 1 "
             f"(of {len(events)}).", "",
             "| top-of-stack method | samples | share |", "|---|---:|---:|"]
    lines += [f"| `{name}` | {n} | {100 * n / kept:.1f} % |" for name, n in top.most_common(args.top)]
    lines += ["", "| thread | samples | share |", "|---|---:|---:|"]
    lines += [f"| {name} | {n} | {100 * n / kept:.1f} % |" for name, n in threads.most_common(8)]
    text = "\n".join(lines)
    print(text)
    print(f"profile: recording {os.path.relpath(jfr_file)}", file=sys.stderr)
    if args.markdown:
        with open(args.markdown + ".tmp", "w") as f:
            f.write(text + "\n")
        os.replace(args.markdown + ".tmp", args.markdown)


if __name__ == "__main__":
    main()
