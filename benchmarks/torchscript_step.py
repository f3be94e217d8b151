#!/usr/bin/python3
"""PyTorch reference for fine-tuning a TorchScript dual encoder (issues 10 and 25): the same step lossbench takes on a
module in the calling contract (fixtures/torchscript's clip_tiny.pt, or make_clip_vit_b32.py's CLIP ViT-B/32-shaped
module) — forward(images, token_ids, attention_mask), L2 normalisation, symmetric InfoNCE with the module's learnable
logit scale, backward, global-norm clipping, AdamW with open_clip's weight-decay groups, the logit scale clamped to
[0, ln 100] on the parameter — as `lossbench bench --torchscript` runs it:

  /usr/bin/python3 benchmarks/torchscript_step.py retrieval/src/test/resources/torchscript/clip_tiny.pt \
      --batch 16 --size 64 --words 16 --steps 50 --threads 2

BLAS gets the same thread count as PyTorch's intra-op pool (OPENBLAS_NUM_THREADS and OMP_NUM_THREADS are set to
--threads before torch loads): lossbench's libtorch uses its threads for its matrix products too, so pinning
PyTorch's BLAS to one thread would make PyTorch look slower than it is.

Prints one JSON object: the median step seconds and steps per second after the warm-up steps, the peak resident
memory (VmHWM) after training and after the saves, and with --save-dir the seconds and bytes of torch.jit.save of
the module and of torch.save of a checkpoint (the model's state_dict and AdamW's state, what a resumable checkpoint
holds). PyTorch 1.13 (Debian) vs DJL's libtorch 2.7.1: the figures compare stacks, not only code.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time


def peak_resident_bytes():
    """VmHWM of this process (Linux), in bytes; -1 where /proc says nothing."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return -1


def blas_library():
    """The BLAS shared library this process mapped (Debian's alternatives decide: OpenBLAS or the netlib reference)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.split()[-1].lower()}
    except (OSError, IndexError):
        return "unknown"
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "none mapped"


def decays(name, param):
    """open_clip's rule, as lossbench's ParameterGroups.clipDecays: matrices decay, biases, norms and the scale not."""
    return param.dim() >= 2 and "bias" not in name and "bn" not in name and "ln" not in name and "logit_scale" not in name


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("module")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--words", type=int, default=16)
    ap.add_argument("--vocab", type=int, default=118, help="token ids are drawn from [4, vocab)")
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2, help="PyTorch's intra-op threads and BLAS's")
    ap.add_argument("--lr", type=float, default=1e-5)
    ap.add_argument("--weight-decay", type=float, default=0.2)
    ap.add_argument("--clip", type=float, default=2.0, help="global gradient-norm clip (0: none)")
    ap.add_argument("--save-dir", help="time torch.jit.save and torch.save of a checkpoint into this directory")
    ap.add_argument("--optimize", action="store_true", help="keep the profiling graph executor's optimisation on")
    args = ap.parse_args()
    # before torch (and OpenBLAS) load: the same thread count as the intra-op pool
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(args.threads)
    torch._C._set_graph_executor_optimize(args.optimize)
    torch.manual_seed(0)
    model = torch.jit.load(args.module)
    model.train()
    named = list(model.named_parameters())
    groups = [{"params": [p for n, p in named if decays(n, p)], "weight_decay": args.weight_decay},
              {"params": [p for n, p in named if not decays(n, p)], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=args.lr)
    params = [p for _, p in named]
    images = torch.randn(args.batch, 3, args.size, args.size)
    ids = torch.randint(4, args.vocab, (args.batch, args.words))
    mask = torch.ones_like(ids)
    eye = torch.arange(args.batch)
    max_log_scale = math.log(100)

    def step():
        img, txt, _ = model(images, ids, mask)
        img = F.normalize(img, dim=-1)
        txt = F.normalize(txt, dim=-1)
        logits = model.logit_scale.exp() * img @ txt.t()
        loss = (F.cross_entropy(logits, eye) + F.cross_entropy(logits.t(), eye)) / 2
        opt.zero_grad()
        loss.backward()
        if args.clip > 0:
            torch.nn.utils.clip_grad_norm_(params, args.clip)
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, max_log_scale)
        return loss.item()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    out = {"torch": torch.__version__, "batch": args.batch, "size": args.size, "words": args.words,
           "threads": args.threads, "blas_threads": args.threads, "blas": blas_library(), "steps": args.steps,
           "parameters": sum(p.numel() for p in params),
           "step_seconds": statistics.median(times), "steps_per_second": args.steps / sum(times),
           "peak_rss_training_bytes": peak_resident_bytes()}
    if args.save_dir:
        os.makedirs(args.save_dir, exist_ok=True)
        module_file = os.path.join(args.save_dir, "torch-module.pt")
        t0 = time.perf_counter()
        torch.jit.save(model, module_file)
        out["export_seconds"] = time.perf_counter() - t0
        out["module_bytes"] = os.path.getsize(module_file)
        ckpt_file = os.path.join(args.save_dir, "torch-checkpoint.pt")
        t0 = time.perf_counter()
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, ckpt_file)
        out["checkpoint_seconds"] = time.perf_counter() - t0
        out["checkpoint_bytes"] = os.path.getsize(ckpt_file)
        os.remove(module_file)
        os.remove(ckpt_file)
    out["peak_rss_bytes"] = max(out["peak_rss_training_bytes"], peak_resident_bytes())
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
