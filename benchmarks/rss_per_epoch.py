#!/usr/bin/env python3
"""Resident memory of a `lossbench run` per run and epoch.

Runs the given command (e.g. `./lossbench run matrices/torchscript/clip-vit-b32-synthetic.yaml`), samples the
resident memory (VmRSS, summed over the command's process tree) every second, and reads the command's progress lines
("<dataset> · <loss> · seed <s>  epoch E/N step ...") to attribute each sample to the run and epoch then in progress:
an epoch's window runs from its first progress line to the next epoch's first (the last epoch's to the run's
evaluation, shown as "eval"), so it includes the epoch's validation and save. Prints the command's output, then one row per run and epoch (median and max of the samples) and
each run's epoch 1 -> last change of the max, and the peak.

    python3 benchmarks/rss_per_epoch.py -- ./lossbench run matrices/torchscript/clip-vit-b32-synthetic.yaml
"""
import os
import re
import statistics
import subprocess
import sys
import threading
import time

PROGRESS = re.compile(r"^\s+(?P<run>.+ · seed \d+)\s+epoch (?P<epoch>\d+)/(?P<epochs>\d+) step")
# a run shown without a training step after its epochs: its evaluation (or a retry starting over)
IDLE = re.compile(r"^\s+(?P<run>.+ · seed \d+)\s+starting")


def tree_rss_kib(root):
    """VmRSS of root and its descendants, in KiB (from /proc)."""
    children = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(pid))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def main(argv):
    if "--" in argv:
        argv = argv[argv.index("--") + 1:]
    if not argv:
        sys.exit("usage: rss_per_epoch.py -- COMMAND ...")
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    marks = []  # (time, run, epoch)

    def read():
        for line in proc.stdout:
            sys.stdout.write(line)
            m = PROGRESS.match(line)
            key = None
            if m:
                key = (m.group("run"), int(m.group("epoch")))
            else:
                m = IDLE.match(line)
                if m and any(run == m.group("run") for _, run, _ in marks):
                    key = (m.group("run"), "eval")
            if key and (not marks or marks[-1][1:] != key):
                marks.append((time.monotonic(), *key))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    samples = []  # (time, KiB)
    while proc.poll() is None:
        samples.append((time.monotonic(), tree_rss_kib(proc.pid)))
        time.sleep(1.0)
    reader.join()
    wall = time.monotonic() - start

    windows = {}  # (run, epoch) -> [KiB]
    order = []
    for t, kib in samples:
        current = None
        for mt, run, epoch in marks:
            if mt <= t:
                current = (run, epoch)
        if current is None:
            continue
        if current not in windows:
            windows[current] = []
            order.append(current)
        windows[current].append(kib)
    print(f"\nrss_per_epoch: exit {proc.returncode}, wall {wall:.0f} s, {len(samples)} samples")
    print(f"{'run':60} {'epoch':>5} {'median MiB':>11} {'max MiB':>8} {'samples':>8}")
    for run, epoch in order:
        v = windows[(run, epoch)]
        print(f"{run:60} {epoch:>5} {statistics.median(v) / 1024:>11.0f} {max(v) / 1024:>8.0f} {len(v):>8}")
    runs = []
    for run, _ in order:
        if run not in runs:
            runs.append(run)
    for run in runs:
        epochs = sorted(e for r, e in order if r == run and e != "eval")
        first, last = max(windows[(run, epochs[0])]), max(windows[(run, epochs[-1])])
        print(f"{run}: epoch {epochs[0]} -> {epochs[-1]} max {first / 1024:.0f} -> {last / 1024:.0f} MiB "
              f"({(last - first) / first * 100:+.1f} %)")
    if samples:
        print(f"peak {max(k for _, k in samples) / 1024:.0f} MiB")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
