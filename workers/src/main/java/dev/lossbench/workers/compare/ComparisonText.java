package dev.lossbench.workers.compare;

import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.workers.format.Figures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the comparison columns mean, in the words the leaderboard and the report print under their tables. */
public final class ComparisonText {
  private ComparisonText() {}

  /** {@code p 0.5 (pT 0.21)}: the deciding p, Holm-adjusted, and the t-test's beside it. */
  public static String p(ComparisonRow r) {
    return (r.pHolm() == null ? "\u2013" : Figures.p(r.pHolm())) + " (pT "
        + (r.pT() == null ? "\u2013" : Figures.p(r.pT())) + ")";
  }

  /**
   * The smallest number of paired seeds with which the first of {@code variants} comparisons can be decided at
   * {@code alpha} under Holm: the least n with variants · 2/2ⁿ ≤ α.
   */
  public static int seedsToDecide(int variants, double alpha) {
    int n = 1;
    while (Math.max(1, variants) * PairedResult.minimumP(n) > alpha) {
      n++;
    }
    return n;
  }

  /** The lines under a table of comparisons (rSum, the primary measure). */
  public static List<String> footnotes(List<ComparisonRow> rows) {
    List<String> lines = new ArrayList<>();
    if (rows.isEmpty()) {
      return lines;
    }
    double alpha = rows.get(0).alpha();
    lines.add("Δ = variant − baseline in test rSum, paired by seed, [95 % interval] by inverting the exact sign-flip"
        + " test (±∞: too few seeds to bound it); P(A>B) = share of seeds on which the variant beats the baseline"
        + " (ties ½) [95 % Wilson]; p = two-sided sign-flip p, Holm-adjusted over the variants of the table (pT: the"
        + " paired t-test's, for reference: it decides nothing); outcome at α = " + Figures.p(alpha) + ", equivalent ="
        + " Δ within ±" + bounds(rows) + " (TOST; the bound is the matrix's study: equivalence, by default 1 % of the"
        + " baseline's mean).");
    Map<List<String>, Long> variants = rows.stream().collect(Collectors.groupingBy(
        r -> List.of(r.datasetId(), r.model(), r.split()), Collectors.counting()));
    int m = variants.values().stream().mapToInt(Long::intValue).max().orElse(1);
    int fewest = rows.stream().mapToInt(ComparisonRow::n).min().orElse(0);
    int needed = seedsToDecide(m, alpha);
    if (fewest < needed) {
      lines.add(String.format(Locale.ROOT, "With %d paired seed%s the smallest p the test can give is 2/2^%d = %s,"
          + " so a comparison on %d seed%s cannot say better or worse: with %d variant%s against the baseline that"
          + " needs at least %d paired seeds at α = %s (Holm: %d × 2/2^n ≤ α).", fewest, fewest == 1 ? "" : "s", fewest,
          Figures.p(PairedResult.minimumP(fewest)), fewest, fewest == 1 ? "" : "s", m, m == 1 ? "" : "s", needed,
          Figures.p(alpha), m));
    }
    return lines;
  }

  private static String bounds(List<ComparisonRow> rows) {
    Function<ComparisonRow, String> text = r -> r.bound() == null ? "?" : Figures.recall(r.bound());
    List<String> distinct = rows.stream().map(text).distinct().toList();
    return (distinct.size() == 1 ? distinct.get(0) : String.join(" / ", distinct)) + " rSum";
  }
}
