"""Shared plumbing of the two Python baselines (numpy_mlp.py, torch_mlp.py): arguments, the MNIST IDX reader, which
BLAS was really loaded, and the one JSON line each baseline prints as its result.

The baselines are ours, short on purpose, and exist only to give scratchnet's speed a fair reference: same network
(784-200-100-25-10), same init (He normal, zero biases), same algorithm (mini-batch SGD reshuffled every epoch,
gradient averaged over the batch, momentum in the EMA form V = beta*V + (1-beta)*dW; W -= alpha*V), float32.
"""
import argparse
import gzip
import json
import os
import re
import struct
import sys
import time

import numpy as np

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def parse_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--layers", default="200,100,25", help="hidden layer widths (the output layer of 10 is added)")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.5, help="alpha")
    p.add_argument("--momentum", type=float, default=0.9, help="beta of the EMA momentum; 0 turns it off")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data", default=None, help="directory with the four MNIST IDX files "
                                                 "(default: $SCRATCHNET_DATA/mnist or ~/.cache/scratchnet/mnist)")
    p.add_argument("--threads", type=int, default=None, help="torch intra-op threads (torch baseline only)")
    p.add_argument("--inference-passes", type=int, default=10,
                   help="after training, time this many passes of inference over the test set; the fastest counts")
    args = p.parse_args()
    args.hidden = [int(s) for s in args.layers.split(",") if s.strip()]
    return args


def data_dir(explicit):
    if explicit:
        return explicit
    root = os.environ.get("SCRATCHNET_DATA")
    if root:
        return os.path.join(root, "mnist")
    return os.path.join(os.path.expanduser("~"), ".cache", "scratchnet", "mnist")


def read_idx(path):
    """An IDX file (plain or .gz) as a numpy array: magic 0x00 0x00 type ndim, ndim big-endian sizes, then data."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: expected an unsigned-byte IDX file, found magic {raw[:4].hex()}")
    shape = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: expected {int(np.prod(shape))} values for shape {shape}, found {data.size}")
    return data.reshape(shape)


def find(directory, name):
    for candidate in (name, name + ".gz", name.replace("-idx", ".idx"), name.replace("-idx", ".idx") + ".gz"):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"MNIST file {name}[.gz] not found in {directory} "
                            f"(run ./scratchnet fetch --dataset mnist first, or pass --data)")


def load_mnist(explicit_dir):
    """(x_train float32 [60000,784] in [0,1], y_train int64, x_test, y_test)."""
    d = data_dir(explicit_dir)
    arrays = {key: read_idx(find(d, name)) for key, name in FILES.items()}
    def images(a):
        return (a.reshape(a.shape[0], -1).astype(np.float32)) / np.float32(255.0)
    return (images(arrays["train_images"]), arrays["train_labels"].astype(np.int64),
            images(arrays["test_images"]), arrays["test_labels"].astype(np.int64))


def blas_info():
    """What BLAS this process really loaded: threadpoolctl's view when available, else the mapped libraries."""
    info = {}
    try:
        from threadpoolctl import threadpool_info
        info["threadpoolctl"] = [
            {k: pool.get(k) for k in ("internal_api", "architecture", "num_threads", "threading_layer", "filepath")}
            for pool in threadpool_info()]
    except ImportError:
        info["threadpoolctl"] = "not installed (Debian: python3-threadpoolctl)"
    libs = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                if re.search(r"(blas|lapack|mkl|gomp|omp)[^/]*\.so", path):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    info["mapped"] = sorted(libs)
    return info


def blas_summary(info):
    """One short line, e.g. 'openblas 0.3.21 SkylakeX x1 (pthreads)'."""
    pools = info.get("threadpoolctl")
    if isinstance(pools, list):
        parts = []
        for pool in pools:
            if pool["internal_api"] in ("openblas", "mkl", "blis"):
                parts.append(f"{pool['internal_api']} {pool.get('architecture') or ''} "
                             f"x{pool['num_threads']} {os.path.basename(pool['filepath'] or '')}".replace("  ", " "))
        if parts:
            return "; ".join(parts)
    blas = [os.path.basename(p) for p in info.get("mapped", []) if "blas" in p]
    return ", ".join(blas) if blas else "unknown"


def time_inference(forward, passes):
    """Seconds of the fastest of `passes` calls of forward() (each one pass over the test set), and the results of the
    last call."""
    best, out = None, None
    for _ in range(max(1, passes)):
        start = time.perf_counter()
        out = forward()
        took = time.perf_counter() - start
        best = took if best is None or took < best else best
    return best, out


def emit(result):
    """The result as one JSON line on stdout (what compare.py parses); everything else goes to stderr."""
    result["openblas_env"] = {k: os.environ.get(k) for k in
                              ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    print(json.dumps(result), flush=True)


def log(msg):
    print(msg, file=sys.stderr, flush=True)
