#!/usr/bin/env python3
"""PyTorch CPU baseline: the same network and algorithm as numpy_mlp.py, written the way a PyTorch user would.

nn.Sequential of nn.Linear + nn.ReLU, He normal init W ~ N(0, 2/n_in) and zero biases, F.cross_entropy (mean over
the batch), autograd for the gradients, and the EMA momentum V = beta*V + (1-beta)*dW; W -= alpha*V applied with
torch's multi-tensor (_foreach) ops, which is what torch.optim does inside (torch.optim.SGD's own momentum is the
classical form and would change the algorithm). Reshuffled every epoch, the last smaller batch included. float32.
--threads sets torch.set_num_threads; OpenBLAS threads come from OPENBLAS_NUM_THREADS (set by compare.py).
Prints one JSON line: seconds of each epoch (training only), training loss per epoch, test accuracy, BLAS in use,
and the fastest of --inference-passes timed passes of inference (argmax of the forward pass) over the 10,000 test images.
"""
import math
import re
import time

import baseline_common as common

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None


def main():
    args = common.parse_args(__doc__.splitlines()[0])
    if torch is None:
        common.log("torch: PyTorch is not installed for this python (Debian: python3-torch); skipped")
        raise SystemExit(3)
    if args.threads:
        torch.set_num_threads(args.threads)
    x_train, y_train, x_test, y_test = (torch.from_numpy(a) for a in common.load_mnist(args.data))
    torch.manual_seed(args.seed)
    sizes = [x_train.shape[1]] + args.hidden + [10]
    modules = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        linear = torch.nn.Linear(n_in, n_out)
        with torch.no_grad():
            linear.weight.normal_(0.0, math.sqrt(2.0 / n_in))
            linear.bias.zero_()
        modules.append(linear)
        if i < len(sizes) - 2:
            modules.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*modules)
    params = list(model.parameters())
    velocity = [torch.zeros_like(p) for p in params]
    alpha, beta = args.lr, args.momentum
    foreach = hasattr(torch, "_foreach_mul_")

    epoch_seconds, losses = [], []
    n = x_train.shape[0]
    generator = torch.Generator().manual_seed(args.seed)
    for epoch in range(args.epochs):
        start = time.perf_counter()
        perm = torch.randperm(n, generator=generator)
        loss_sum = 0.0
        for s in range(0, n, args.batch):
            idx = perm[s:s + args.batch]
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
            grads = torch.autograd.grad(loss, params)
            loss_sum += loss.item() * idx.shape[0]
            with torch.no_grad():
                if beta == 0:
                    for p, g in zip(params, grads):
                        p.sub_(g, alpha=alpha)
                elif foreach:
                    torch._foreach_mul_(velocity, beta)
                    torch._foreach_add_(velocity, grads, alpha=1 - beta)
                    torch._foreach_add_(params, velocity, alpha=-alpha)
                else:
                    for p, g, v in zip(params, grads, velocity):
                        v.mul_(beta).add_(g, alpha=1 - beta)
                        p.sub_(v, alpha=alpha)
        epoch_seconds.append(time.perf_counter() - start)
        losses.append(loss_sum / n)
        common.log(f"torch: epoch {epoch + 1} {epoch_seconds[-1]:.3f} s, loss {losses[-1]:.4f}")

    def predict():
        with torch.inference_mode():
            return model(x_test).argmax(dim=1)

    inference_seconds, predicted = common.time_inference(predict, args.inference_passes)
    accuracy = float((predicted == y_test).float().mean())
    info = common.blas_info()
    config = torch.__config__.show()
    blas_line = " ".join(re.findall(r"(?:BLAS_INFO|LAPACK_INFO)=\w+", config)) or "BLAS_INFO not reported"
    common.emit({"impl": "torch", "version": torch.__version__, "epoch_seconds": epoch_seconds, "train_loss": losses,
                 "test_accuracy": accuracy, "blas": common.blas_summary(info), "blas_detail": info,
                 "torch_threads": torch.get_num_threads(), "torch_blas_info": blas_line,
                 "torch_parallel": torch.__config__.parallel_info().strip().splitlines()[:6],
                 "dtype": str(params[0].dtype), "inference_seconds": inference_seconds,
                 "inference_images": int(x_test.shape[0])})


if __name__ == "__main__":
    main()
