#!/usr/bin/env python3
"""Resident memory of a `lossbench run` per run and epoch.

Runs the given command (e.g. `./lossbench run matrices/torchscript/clip-vit-b32-synthetic.yaml`), samples the
resident memory (VmRSS, summed over the command's process tree) every second, and reads the command's progress lines
("<dataset> · <loss> · seed <s>  epoch E/N step ...") to attribute each sample to the run and epoch then in progress:
an epoch's window runs from its first progress line to the next epoch's first (the last epoch's to the run's
evaluation, shown as "eval"), so it includes the epoch's validation and save. Where /proc/PID/clear_refs can be
written (root, or the same user), the JVM's peak (VmHWM) is also reset at every window's start and read at its end:
the exact peak of the window, where the 1 s samples may miss a step's top. Prints the command's output, then one row
per run and epoch (median and max of the samples, the JVM's peak), each run's epoch 1 -> last change of each, and the
process tree's peak sample.

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


def java_pid(root):
    """The JVM in root's process tree (the launcher execs it; PostgreSQL runs beside it), or None."""
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == "java":
                    return pid
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return None


def peak_kib(pid):
    """VmHWM of pid in KiB, or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak(pid):
    """Resets pid's VmHWM to its current RSS (Linux: 5 > /proc/PID/clear_refs; needs the right to write it)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def main(argv):
    if "--" in argv:
        argv = argv[argv.index("--") + 1:]
    if not argv:
        sys.exit("usage: rss_per_epoch.py -- COMMAND ...")
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    marks = []  # (time, run, epoch)
    peaks = {}  # (run, epoch) -> the JVM's VmHWM over the window, KiB (reset at every window's start)
    state = {"jvm": None, "hwm": None, "resets": True}

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
                jvm = state["jvm"]
                if marks and jvm:
                    peak = peak_kib(jvm)
                    if peak is not None:
                        peaks[marks[-1][1:]] = peak
                if jvm:
                    state["resets"] &= reset_peak(jvm)
                marks.append((time.monotonic(), *key))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    samples = []  # (time, KiB)
    while proc.poll() is None:
        samples.append((time.monotonic(), tree_rss_kib(proc.pid)))
        if state["jvm"] is None or not os.path.exists(f"/proc/{state['jvm']}"):
            # the launcher may build first (Maven is a JVM too): the JVM is the one still running
            state["jvm"] = java_pid(proc.pid)
        elif marks:
            state["hwm"] = (marks[-1][1:], peak_kib(state["jvm"]))
        time.sleep(1.0)
    reader.join()
    if marks and state["hwm"] and state["hwm"][0] == marks[-1][1:] and state["hwm"][1] is not None:
        peaks.setdefault(marks[-1][1:], state["hwm"][1])
    exact = state["resets"] and bool(peaks)
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
    print("median, max: the process tree's VmRSS sampled every second; JVM peak: the JVM's VmHWM over the window "
          "(reset at its start)" + ("" if exact else " — not available (clear_refs not writable): '-'"))
    print(f"{'run':60} {'epoch':>5} {'median MiB':>11} {'max MiB':>8} {'JVM peak MiB':>13} {'samples':>8}")
    for run, epoch in order:
        v = windows[(run, epoch)]
        peak = f"{peaks[(run, epoch)] / 1024:.0f}" if exact and (run, epoch) in peaks else "-"
        print(f"{run:60} {epoch:>5} {statistics.median(v) / 1024:>11.0f} {max(v) / 1024:>8.0f} {peak:>13} "
              f"{len(v):>8}")
    runs = []
    for run, _ in order:
        if run not in runs:
            runs.append(run)
    for run in runs:
        epochs = sorted(e for r, e in order if r == run and e != "eval")
        a, b = (run, epochs[0]), (run, epochs[-1])
        line = f"{run}: epoch {epochs[0]} -> {epochs[-1]}"
        for what, first, last in (("median", statistics.median(windows[a]), statistics.median(windows[b])),
                                  ("max", max(windows[a]), max(windows[b])),
                                  ("JVM peak", peaks.get(a) if exact else None, peaks.get(b) if exact else None)):
            if first and last:
                line += f"; {what} {first / 1024:.0f} -> {last / 1024:.0f} MiB ({(last - first) / first * 100:+.1f} %)"
        print(line)
    if samples:
        print(f"peak {max(k for _, k in samples) / 1024:.0f} MiB")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
