package dev.lossbench.workers.report;

import static dev.lossbench.workers.report.Fragments.esc;

import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.schema.record.LeaderboardRow;
import dev.lossbench.schema.record.LossDeltaRow;
import dev.lossbench.schema.record.VariantRuns;
import dev.lossbench.workers.compare.BestText;
import dev.lossbench.workers.compare.ComparisonText;
import dev.lossbench.workers.compare.Measure;
import dev.lossbench.workers.format.Figures;
import dev.lossbench.workers.format.StoppedText;
import java.util.List;
import java.util.Optional;

/**
 * The leaderboard: per dataset × model, the loss variants ranked by mean test rSum on the dataset's
 * primary split, with the spread over seeds and the difference from the baseline.
 */
final class LeaderboardSection {
  private LeaderboardSection() {}

  static void append(StringBuilder html, ReportData data, VariantStyles styles) {
    html.append("<section id=\"leaderboard\">\n<h2>Leaderboard</h2>\n");
    html.append("<p class=\"note\">Test figures of the runs that succeeded, on each dataset's primary split:"
        + " mean ± sample standard deviation over seeds (no ± with one seed), ranked by the leaderboard view's rank."
        + " Against the baseline (<code>").append(esc(data.benchmark().baselineLoss()))
        .append("</code>): the comparison"
            + " engine's stored verdicts, the same rows <code>lossbench leaderboard</code> and Grafana show. Variants"
            + " successive halving stopped are listed below the ranked ones, unranked, with their rung.</p>\n");
    if (data.panels().isEmpty()) {
      Fragments.empty(html, "No runs registered yet.");
    }
    for (Panel panel : data.panels()) {
      Fragments.openPanel(html, data, panel);
      List<LeaderboardRow> rows = data.leaderboard(panel);
      List<VariantRuns> stopped = data.stoppedVariants(panel);
      if (rows.isEmpty() && stopped.isEmpty()) {
        Fragments.empty(html, "No results yet.");
      } else {
        table(html, data, panel, rows, stopped, styles);
        data.best(panel).flatMap(BestText::line).ifPresent(line -> html.append("<p class=\"note best-note\">")
            .append(esc(line.trim())).append(" ").append(esc(BestText.FOOTNOTE)).append("</p>\n"));
        List<ComparisonRow> compared = data.comparisons(panel, Measure.RSUM.name());
        for (String line : compared.isEmpty()
            ? List.of("No comparisons with the baseline yet: they are computed when the benchmark finishes.")
            : ComparisonText.footnotes(compared)) {
          html.append("<p class=\"note comparison-note\">").append(esc(line)).append("</p>\n");
        }
        if (!stopped.isEmpty()) {
          html.append("<p class=\"note stopped-note\">").append(esc(StoppedText.FOOTNOTE)).append("</p>\n");
        }
      }
      Fragments.closePanel(html);
    }
    html.append("</section>\n");
  }

  private static void table(StringBuilder html, ReportData data, Panel panel, List<LeaderboardRow> rows,
      List<VariantRuns> stopped, VariantStyles styles) {
    html.append("<table class=\"leaderboard\" data-panel=\"").append(esc(panel.key())).append("\">\n")
        .append("<caption>split <code>").append(esc(rows.isEmpty() ? "(none ranked yet)" : rows.get(0).split()))
        .append("</code></caption>\n")
        .append("<thead><tr><th class=\"num\">#</th><th>Loss variant</th><th class=\"num\">rSum</th>"
            + "<th class=\"num\">Δ rSum</th><th class=\"num\">i2t R@1</th><th class=\"num\">t2i R@1</th>"
            + "<th class=\"num\">Seeds</th><th class=\"num\">Best seed (rSum)</th>"
            + "<th class=\"num\">Δ rSum vs baseline [95 %]</th><th class=\"num\">P(A&gt;B) [95 %]</th>"
            + "<th class=\"num\">p (pT)</th><th>Outcome</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < rows.size(); i++) {
      LeaderboardRow row = rows.get(i);
      long runs = data.runs().stream()
          .filter(r -> r.datasetId().equals(panel.datasetId()) && r.model().equals(panel.model())
              && r.variant().equals(row.variant()))
          .count();
      html.append("<tr data-variant=\"").append(esc(row.variant())).append("\">")
          .append("<td class=\"num rank\">").append(row.rank()).append("</td>")
          .append("<td class=\"variant\">").append(Fragments.swatch(row.variant(), styles))
          .append(esc(row.variant())).append("</td>")
          .append("<td class=\"num rsum\">").append(Figures.meanStd(row.rsumMean(), row.rsumStd())).append("</td>")
          .append(delta(data.lossDelta(panel, row.variant())))
          .append("<td class=\"num\">").append(Figures.meanStd(row.i2tR1Mean(), row.i2tR1Std())).append("</td>")
          .append("<td class=\"num\">").append(Figures.meanStd(row.t2iR1Mean(), row.t2iR1Std())).append("</td>")
          // "2 / 3": a seed that did not succeed is missing from the mean, and the reader should see it
          .append("<td class=\"num seeds\">").append(row.seeds())
          .append(row.seeds() < runs ? " / " + runs : "").append("</td>")
          .append("<td class=\"num\">").append(row.bestSeed()).append(" (")
          .append(Figures.recall(row.bestRsum())).append(")</td>")
          .append(comparison(data.comparison(panel, row.variant(), Measure.RSUM.name()))).append("</tr>\n");
    }
    // below the ranked rows: no rank, no test figures, no comparison; the rung and the seeds the variant used
    for (VariantRuns v : stopped) {
      html.append("<tr class=\"stopped\" data-variant=\"").append(esc(v.variant())).append("\">")
          .append("<td class=\"num rank\"></td>")
          .append("<td class=\"variant\">").append(Fragments.swatch(v.variant(), styles)).append(esc(v.variant()))
          .append("</td>")
          .append("<td class=\"stopped-at\" colspan=\"4\">").append(esc(StoppedText.variant(v))).append("</td>")
          .append("<td class=\"num seeds\">").append(v.runsStopped()).append("</td>")
          .append("<td colspan=\"5\"></td></tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  /** The engine's verdict: Δ [CI], P(A>B) [CI], p (pT), outcome; empty cells for the baseline itself. */
  private static String comparison(Optional<ComparisonRow> compared) {
    if (compared.isEmpty()) {
      return "<td class=\"num\"></td><td class=\"num\"></td><td class=\"num\"></td><td></td>";
    }
    ComparisonRow c = compared.get();
    return "<td class=\"num delta-ci\">" + esc(Figures.signedInterval(c.meanDelta(), c.ciLow(), c.ciHigh())) + "</td>"
        + "<td class=\"num p-a-greater\">"
        + esc(Figures.shareInterval(c.pAGreater(), c.pAGreaterLow(), c.pAGreaterHigh()))
        + "</td><td class=\"num p\">" + esc(ComparisonText.p(c)) + "</td>"
        + "<td class=\"outcome " + esc(c.outcome()) + "\">" + esc(c.outcome()) + "</td>";
  }

  private static String delta(Optional<LossDeltaRow> delta) {
    if (delta.isEmpty() || delta.get().rsumDelta() == null) {
      return "<td class=\"num delta\" title=\"no single baseline variant for this dataset and model\">–</td>";
    }
    LossDeltaRow row = delta.get();
    if (row.variant().equals(row.baselineVariant())) {
      return "<td class=\"num delta baseline\">baseline</td>";
    }
    String sign = row.rsumDelta() > 0 ? " gain" : row.rsumDelta() < 0 ? " loss" : "";
    return "<td class=\"num delta" + sign + "\">" + Figures.signed(row.rsumDelta()) + "</td>";
  }
}
