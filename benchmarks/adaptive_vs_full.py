#!/usr/bin/env python3
"""Compares an adaptive benchmark with the full grid of the same cells (issue #22's acceptance).

Reads two `lossbench leaderboard NAME --format json` outputs and prints, per dataset x model group on the primary
split: the best variant of each (rank 1 by mean test rSum), and every variant whose comparison with the baseline
(test rSum, the comparison engine's outcome) differs between the two, flagged OPPOSITE when one says better and the
other worse. Variants the adaptive benchmark stopped (no test result) are listed as stopped, not as disagreements.

    ./lossbench leaderboard sweep --home H1 --format json > full.json
    ./lossbench leaderboard sweep-adaptive --home H2 --format json > adaptive.json
    python3 benchmarks/adaptive_vs_full.py full.json adaptive.json
"""
import json
import sys


def groups(rows):
    out = {}
    for r in rows:
        if not r.get("primary", True):
            continue
        key = (r["datasetId"], r["model"], r["split"])
        out.setdefault(key, {})[r["variant"]] = r
    return out


def outcome(row):
    c = (row.get("comparisons") or {}).get("rsum")
    if c is None:
        return "baseline" if row.get("isBaseline") else "-"
    return c.get("outcome") or "-"


def main(full_path, adaptive_path):
    full = groups(json.load(open(full_path)))
    adaptive = groups(json.load(open(adaptive_path)))
    opposite = disagreements = same_best = 0
    for key in sorted(full):
        f, a = full[key], adaptive.get(key, {})
        best_f = min(f.values(), key=lambda r: (r.get("rank") or 10**9))["variant"]
        ranked_a = [r for r in a.values() if r.get("rank") is not None]
        best_a = min(ranked_a, key=lambda r: r["rank"])["variant"] if ranked_a else None
        same_best += best_f == best_a
        print(f"{key[0]} · {key[1]} · {key[2]}")
        print(f"  best variant: full grid {best_f}; adaptive {best_a}{'' if best_f == best_a else '  (DIFFERENT)'}")
        for variant in sorted(f):
            of = outcome(f[variant])
            if variant not in a:
                print(f"  {variant:40s} full {of:10s} adaptive stopped (not compared)")
                continue
            oa = outcome(a[variant])
            if of == oa:
                continue
            disagreements += 1
            flag = "OPPOSITE" if {of, oa} == {"better", "worse"} else "differs"
            opposite += flag == "OPPOSITE"
            print(f"  {variant:40s} full {of:10s} adaptive {oa:10s} {flag}"
                  f"  (seeds {f[variant]['seeds']} vs {a[variant]['seeds']})")
    print(f"groups {len(full)}: same best variant in {same_best}; compared variants whose outcome differs:"
          f" {disagreements}, of them opposite: {opposite}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: adaptive_vs_full.py FULL.json ADAPTIVE.json")
    main(sys.argv[1], sys.argv[2])
