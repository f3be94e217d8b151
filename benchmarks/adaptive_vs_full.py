#!/usr/bin/env python3
"""Compares an adaptive benchmark with the full grid of the same cells (issue #22's acceptance).

Reads two `lossbench leaderboard NAME --format json` outputs and prints, per dataset x model group on the primary
split: the best each names — the set of variants that could be the best (`couldBeBest`: no other variant decided
better, the leaderboard's best line; one variant = a decided best, several = tied for best) — whether the two sets
are the same, and rank 1 (the highest mean) of each for reference; then every variant whose comparison with the
baseline (test rSum, the comparison engine's outcome) differs between the two, flagged OPPOSITE when one says
better and the other worse. Variants the adaptive benchmark stopped (no test result) are listed as stopped, not as
disagreements.

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
    opposite = disagreements = same_best = same_set = 0
    for key in sorted(full):
        f, a = full[key], adaptive.get(key, {})
        best_f = min(f.values(), key=lambda r: (r.get("rank") or 10**9))["variant"]
        ranked_a = [r for r in a.values() if r.get("rank") is not None]
        best_a = min(ranked_a, key=lambda r: r["rank"])["variant"] if ranked_a else None
        set_f = sorted(v for v, r in f.items() if r.get("couldBeBest"))
        set_a = sorted(v for v, r in a.items() if r.get("couldBeBest"))
        same_set += set_f == set_a
        same_best += best_f == best_a
        print(f"{key[0]} · {key[1]} · {key[2]}")
        print(f"  best: full grid {describe(set_f)}; adaptive {describe(set_a)}"
              f"{'  (SAME)' if set_f == set_a else '  (DIFFERENT)'}")
        print(f"  rank 1 (highest mean, for reference): full grid {best_f}; adaptive {best_a}"
              f"{'' if best_f == best_a else '  (differ)'}; the adaptive's rank 1 is"
              f"{'' if best_a in set_f else ' NOT'} in the full grid's best set")
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
    print(f"groups {len(full)}: the same best (set) in {same_set}; the same rank 1 in {same_best}; compared variants"
          f" whose outcome differs: {disagreements}, of them opposite: {opposite}")


def describe(best):
    if not best:
        return "none (no couldBeBest field: a leaderboard from before the best set)"
    if len(best) == 1:
        return f"{best[0]} (decided)"
    return f"tied for best: {', '.join(best)}"


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: adaptive_vs_full.py FULL.json ADAPTIVE.json")
    main(sys.argv[1], sys.argv[2])
