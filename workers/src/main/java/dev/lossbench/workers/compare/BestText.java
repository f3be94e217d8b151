package dev.lossbench.workers.compare;

import java.util.Locale;
import java.util.Optional;

/** How a {@link BestSet} is written under a leaderboard group: the same words in the table and the report. */
public final class BestText {
  /** The footnote under a leaderboard with a best line. */
  public static final String FOOTNOTE = "Best: the variants no other variant is decided better than (sign-flip test"
      + " on test rSum, paired by seed, each pair at α/(k − 1) for k variants with results): the set holds the truly"
      + " best variant with probability ≥ 1 − α/2. One variant is a decided best; several are tied for best at these"
      + " seeds, whatever their ranks.";

  private BestText() {}

  /** {@code best: …} or {@code tied for best: …}; empty for a group of one variant (nothing to decide). */
  public static Optional<String> line(BestSet.Group g) {
    if (g.rivals() < 2) {
      return Optional.empty();
    }
    String level = String.format(Locale.ROOT, "α/%d = %s per pair", g.rivals() - 1, level(g.pairLevel()));
    if (g.decided()) {
      return Optional.of("  best: " + g.variants().get(0) + " (decided better than each of the other "
          + (g.rivals() - 1) + ", " + level + ")");
    }
    int out = g.rivals() - g.variants().size();
    return Optional.of("  tied for best: " + String.join(", ", g.variants()) + " (none of them decided better than"
        + " another, " + level + (out == 0
            ? ""
            : out == 1
                ? "; the other one decided worse than some variant"
                : "; the other " + out + " each decided worse than some variant")
        + ")");
  }

  private static String level(double p) {
    return p >= 0.001 ? String.format(Locale.ROOT, "%.4f", p) : String.format(Locale.ROOT, "%.2e", p);
  }
}
