#!/usr/bin/python3
"""PyTorch reference for `lossbench bench` (issue 8): the VSE-infinity-shaped training step and the
five retrieval losses, written independently of lossbench's Java code.

Run with Debian's PyTorch (apt-get install python3-torch python3-numpy libopenblas0-pthread) and
OPENBLAS_NUM_THREADS=1 (OpenBLAS threads on top of PyTorch's oversubscribe the cores):

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/vse_step.py step --batch 128 --regions 36 \
      --region-dim 2048 --embed 1024 --word-dim 300 --words 20 --vocab 10000 --rounds 5 --threads 2
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/vse_step.py losses sims.npy
  /usr/bin/python3 benchmarks/vse_step.py step --count-ops 2 [--device cuda]   # ops and host reads per step

`--device cuda` builds the model and inputs on the GPU and synchronises at the end of every timed step.
`--count-ops N` runs N steps under torch's profiler instead of timing and prints the engine operations
per step (aten:: events not nested in another aten:: event, the rule of lossbench's OpProfile) and the
host reads per step (aten::_local_scalar_dense, i.e. item()).

Each mode prints one JSON object on stdout.
"""
import argparse
import functools
import json
import math
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PE_DIM = 32
GPO_HIDDEN = 32


@functools.lru_cache(maxsize=None)
def positional_encoding(length):
    """Built once per length (a GPU comparison may cache it per device): its ~1000 scalar writes are not part of a step."""
    pe = torch.zeros(length, PE_DIM)
    for pos in range(length):
        for i in range(PE_DIM // 2):
            angle = pos / math.pow(10000, 2.0 * i / PE_DIM)
            pe[pos, 2 * i] = math.sin(angle)
            pe[pos, 2 * i + 1] = math.cos(angle)
    return pe.unsqueeze(0)


class DualEncoder(nn.Module):
    """vse-gpo: region fc + 2-layer MLP residual, GPO pooling; embedding -> BiGRU (directions averaged) -> mean."""

    def __init__(self, region_dim, embed, word_dim, vocab):
        super().__init__()
        self.fc = nn.Linear(region_dim, embed)
        self.mlp1 = nn.Linear(region_dim, embed // 2)
        self.mlp2 = nn.Linear(embed // 2, embed)
        self.gpo_gru = nn.GRU(PE_DIM, GPO_HIDDEN, batch_first=True, bidirectional=True)
        self.gpo_score = nn.Linear(GPO_HIDDEN, 1)
        self.embedding = nn.Embedding(vocab, word_dim)
        self.gru = nn.GRU(word_dim, embed, batch_first=True, bidirectional=True)

    def images(self, x):  # B x R x D, every region real
        h = self.fc(x) + self.mlp2(F.relu(self.mlp1(x)))
        out, _ = self.gpo_gru(positional_encoding(x.shape[1]).to(x.device))
        out = (out[..., :GPO_HIDDEN] + out[..., GPO_HIDDEN:]) / 2
        weights = torch.softmax(self.gpo_score(out).squeeze(-1) / 0.1, dim=1).unsqueeze(2)  # 1 x R x 1
        pooled = (h.sort(dim=1, descending=True)[0] * weights).sum(1)
        return F.normalize(pooled, dim=-1)

    def texts(self, ids):  # B x T, every token real
        out, _ = self.gru(self.embedding(ids))
        hidden = out.shape[-1] // 2
        out = (out[..., :hidden] + out[..., hidden:]) / 2
        return F.normalize(out.mean(1), dim=-1)


def count_ops(step, n):
    """Top-level aten ops and item() reads per step over n profiled steps."""
    with torch.autograd.profiler.profile() as prof:
        for _ in range(n):
            step()
    ops = reads = 0
    for e in prof.function_events:
        if not e.name.startswith("aten::"):
            continue
        if e.name == "aten::_local_scalar_dense":
            reads += 1
        p = e.cpu_parent
        while p is not None and not p.name.startswith("aten::"):
            p = p.cpu_parent
        if p is None:
            ops += 1
    return ops / n, reads / n


def step_mode(a):
    torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    dev = torch.device(a.device)
    model = DualEncoder(a.region_dim, a.embed, a.word_dim, a.vocab).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-4, weight_decay=1e-4)
    g = torch.Generator().manual_seed(11)
    regions = torch.rand(a.batch, a.regions, a.region_dim, generator=g).to(dev)
    ids = torch.randint(2, a.vocab, (a.batch, a.words), generator=g).to(dev)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)

    def step():
        opt.zero_grad(set_to_none=False)
        sims = model.images(regions) @ model.texts(ids).t()
        loss = LOSSES["triplet-hn"](sims)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 2.0)
        opt.step()
        return loss.item()

    step()  # warm-up
    if a.count_ops > 0:
        ops, reads = count_ops(step, a.count_ops)
        print(json.dumps({"torch": torch.__version__, "device": str(dev), "ops_per_step": ops,
                          "host_reads_per_step": reads, "steps": a.count_ops}))
        return
    times = []
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        step()
        sync()
        times.append(time.perf_counter() - t0)
    n = a.floor_size
    x = torch.rand(n, n, device=dev)
    y = torch.rand(n, n, device=dev)
    (x @ y)[0, 0].item()
    mm = []
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        (x @ y)[0, 0].item()
        mm.append(time.perf_counter() - t0)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "device": str(dev),
                      "step_seconds": statistics.median(times), "matmul_seconds": statistics.median(mm),
                      "matmul_size": n}))


def _softplus_sum(z, neg):
    """Per row log(1 + sum over negatives of exp(z))."""
    z = z.masked_fill(~neg, float("-inf"))
    return torch.logsumexp(torch.cat([torch.zeros(z.shape[0], 1, dtype=z.dtype), z], 1), 1)


def _both(s, per_direction, anchors, directions):
    b = s.shape[0]
    neg = ~torch.eye(b, dtype=torch.bool)
    pos = s.diagonal().unsqueeze(1)
    i2t = per_direction(s, pos, neg)
    t2i = per_direction(s.t(), pos, neg)
    red = torch.mean if anchors == "mean" else torch.sum
    both = red(i2t) + red(t2i)
    return both / 2 if directions == "mean" else both


def triplet(s, margin=0.2):
    return _both(s, lambda x, p, n: (torch.clamp(margin + x - p, min=0) * n).sum(1), "sum", "sum")


def triplet_hn(s, margin=0.2):
    return _both(s, lambda x, p, n: (torch.clamp(margin + x - p, min=0) * n).max(1)[0], "sum", "sum")


def infonce(s, tau=0.07):
    def per(x, p, n):
        return -torch.log_softmax(x / tau, 1).diagonal()
    return _both(s, per, "mean", "mean")


def unified(s, gamma=50.0, margin=0.1):
    return _both(s, lambda x, p, n: _softplus_sum(gamma * (x - p + margin), n), "mean", "mean")


def circle(s, margin=0.25, gamma=256.0):
    def per(x, p, n):
        alpha_p = torch.clamp(1 + margin - p, min=0).detach()
        alpha_n = torch.clamp(x + margin, min=0).detach()
        logit_n = gamma * alpha_n * (x - margin)
        logit_p = gamma * alpha_p * (p - (1 - margin))
        return _softplus_sum(logit_n - logit_p, n)
    return _both(s, per, "mean", "mean")


LOSSES = {"triplet": triplet, "triplet-hn": triplet_hn, "infonce": infonce, "unified": unified, "circle": circle}


def losses_mode(a):
    s = torch.from_numpy(np.load(a.sims).astype(np.float64))
    print(json.dumps({name: f(s).item() for name, f in LOSSES.items()}))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)
    st = sub.add_parser("step")
    for name, default in [("batch", 128), ("regions", 36), ("region-dim", 2048), ("embed", 1024), ("word-dim", 300),
                          ("words", 20), ("vocab", 10000), ("rounds", 5), ("threads", 2), ("floor-size", 2048),
                          ("count-ops", 0)]:
        st.add_argument("--" + name, type=int, default=default)
    st.add_argument("--device", default="cpu", help="cpu or cuda (cuda:N)")
    ls = sub.add_parser("losses")
    ls.add_argument("sims")
    a = p.parse_args()
    step_mode(a) if a.mode == "step" else losses_mode(a)


if __name__ == "__main__":
    sys.exit(main())
