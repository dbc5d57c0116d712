#!/usr/bin/env python3
"""float32 NumPy baseline: the original's algorithm, written the way a NumPy user would, for bench/compare/compare.py.

Network 784-hidden...-10, ReLU hidden layers, softmax + cross-entropy, He normal init W ~ N(0, 2/n_in), zero biases.
Mini-batch SGD, reshuffled every epoch (the last, smaller batch included), gradient averaged over the batch, momentum
in the EMA form V = beta*V + (1-beta)*dW; W -= alpha*V (plain SGD when beta = 0). Every array is float32; matrix
products go to whatever BLAS NumPy loaded (OpenBLAS after bench/compare/setup.sh; threads via OPENBLAS_NUM_THREADS).
Prints one JSON line: seconds of each epoch (training only), training loss per epoch, test accuracy, BLAS in use,
and the fastest of --inference-passes timed passes of inference (argmax of the forward pass) over the 10,000 test images.
"""
import time

import numpy as np

import baseline_common as common


def main():
    args = common.parse_args(__doc__.splitlines()[0])
    x_train, y_train, x_test, y_test = common.load_mnist(args.data)
    rng = np.random.default_rng(args.seed)
    sizes = [x_train.shape[1]] + args.hidden + [10]
    weights = [(rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)).astype(np.float32)
               for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    biases = [np.zeros(n_out, dtype=np.float32) for n_out in sizes[1:]]
    vw = [np.zeros_like(w) for w in weights]
    vb = [np.zeros_like(b) for b in biases]
    alpha, beta = np.float32(args.lr), np.float32(args.momentum)
    layers = len(weights)

    epoch_seconds, losses = [], []
    n = x_train.shape[0]
    for epoch in range(args.epochs):
        start = time.perf_counter()
        perm = rng.permutation(n)
        loss_sum = 0.0
        for s in range(0, n, args.batch):
            idx = perm[s:s + args.batch]
            m = idx.shape[0]
            acts = [x_train[idx]]
            for l in range(layers - 1):
                z = acts[-1] @ weights[l]
                z += biases[l]
                np.maximum(z, 0, out=z)                      # ReLU in place: z > 0 exactly where the output is > 0
                acts.append(z)
            z = acts[-1] @ weights[-1]
            z += biases[-1]
            z -= z.max(axis=1, keepdims=True)                # stable softmax
            np.exp(z, out=z)
            z /= z.sum(axis=1, keepdims=True)
            rows = np.arange(m)
            loss_sum += float(-np.log(np.maximum(z[rows, y_train[idx]], 1e-7)).sum())
            z[rows, y_train[idx]] -= 1
            g = z * np.float32(1.0 / m)                      # dL/dZ of the output layer, averaged over the batch
            for l in range(layers - 1, -1, -1):
                dw = acts[l].T @ g
                db = g.sum(axis=0)
                if l > 0:
                    g = g @ weights[l].T                     # before W[l] is updated
                    g *= acts[l] > 0                         # ReLU backward
                if beta != 0:
                    vw[l] *= beta
                    dw *= 1 - beta
                    vw[l] += dw
                    vb[l] *= beta
                    vb[l] += (1 - beta) * db
                    weights[l] -= alpha * vw[l]
                    biases[l] -= alpha * vb[l]
                else:
                    weights[l] -= alpha * dw
                    biases[l] -= alpha * db
        epoch_seconds.append(time.perf_counter() - start)
        losses.append(loss_sum / n)
        common.log(f"numpy: epoch {epoch + 1} {epoch_seconds[-1]:.3f} s, loss {losses[-1]:.4f}")

    def predict():
        a = x_test
        for l in range(layers):
            a = a @ weights[l] + biases[l]
            if l < layers - 1:
                a = np.maximum(a, 0)
        return a.argmax(axis=1)

    inference_seconds, predicted = common.time_inference(predict, args.inference_passes)
    accuracy = float((predicted == y_test).mean())
    info = common.blas_info()
    common.emit({"impl": "numpy", "version": np.__version__, "epoch_seconds": epoch_seconds, "train_loss": losses,
                 "test_accuracy": accuracy, "blas": common.blas_summary(info), "blas_detail": info,
                 "dtype": str(weights[0].dtype), "inference_seconds": inference_seconds,
                 "inference_images": int(x_test.shape[0])})


if __name__ == "__main__":
    main()
