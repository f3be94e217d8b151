#!/usr/bin/python3
"""PyTorch reference for fine-tuning a TorchScript dual encoder (issue 10): the same step lossbench
takes on fixtures/torchscript's clip_tiny.pt — forward(images, token_ids, attention_mask), L2
normalisation, symmetric InfoNCE with the module's learnable logit scale, backward, AdamW.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/torchscript_step.py \
      retrieval/src/test/resources/torchscript/clip_tiny.pt --batch 16 --size 64 --words 16 --steps 50 --threads 2

Prints one JSON object: steps per second after 5 warm-up steps. PyTorch 1.13 (Debian) vs DJL's
libtorch 2.7.1: the figure compares stacks, not only code.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("module")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--words", type=int, default=16)
    ap.add_argument("--vocab", type=int, default=118)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--optimize", action="store_true", help="keep the profiling graph executor's optimisation on")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch._C._set_graph_executor_optimize(args.optimize)
    torch.manual_seed(0)
    model = torch.jit.load(args.module)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0)
    images = torch.randn(args.batch, 3, args.size, args.size)
    ids = torch.randint(4, args.vocab, (args.batch, args.words))
    mask = torch.ones_like(ids)
    eye = torch.arange(args.batch)

    def step():
        img, txt, _ = model(images, ids, mask)
        img = F.normalize(img, dim=-1)
        txt = F.normalize(txt, dim=-1)
        logits = model.logit_scale.exp().clamp(max=100) * img @ txt.t()
        loss = (F.cross_entropy(logits, eye) + F.cross_entropy(logits.t(), eye)) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(5):
        step()
    t0 = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = time.perf_counter() - t0
    print(json.dumps({"torch": torch.__version__, "batch": args.batch, "size": args.size, "words": args.words,
                      "threads": args.threads, "steps_per_second": args.steps / seconds}))


if __name__ == "__main__":
    main()
