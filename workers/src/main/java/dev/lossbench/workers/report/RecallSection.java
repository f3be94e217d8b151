package dev.lossbench.workers.report;

import dev.lossbench.schema.record.LeaderboardRow;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Final test Recall@1/5/10 per direction: per dataset × model, two grouped bar charts (image → text,
 * text → image) with one bar per loss variant, each the mean over its succeeded seeds.
 */
final class RecallSection {
  private RecallSection() {}

  static void append(StringBuilder html, ReportData data, VariantStyles styles) {
    html.append("<section id=\"recall\">\n<h2>Final Recall@K</h2>\n");
    html.append("<p class=\"note\">Test Recall@K on each dataset's primary split, mean over the seeds that"
        + " succeeded; variants in leaderboard order.</p>\n");
    if (data.panels().isEmpty()) {
      Fragments.empty(html, "No runs registered yet.");
    }
    for (Panel panel : data.panels()) {
      Fragments.openPanel(html, data, panel);
      bars(html, data.leaderboard(panel), styles);
      Fragments.closePanel(html);
    }
    html.append("</section>\n");
  }

  private static void bars(StringBuilder html, List<LeaderboardRow> rows, VariantStyles styles) {
    if (rows.isEmpty()) {
      Fragments.empty(html, "No results yet.");
      return;
    }
    Fragments.legend(html, rows.stream().map(LeaderboardRow::variant).toList(), styles);
    html.append("<div class=\"charts\">\n")
        .append(GroupedBarChart.render("recall-i2t", "Image → text", "K", "Recall@K (%)", List.of(
            group("R@1", rows, LeaderboardRow::i2tR1Mean),
            group("R@5", rows, LeaderboardRow::i2tR5Mean),
            group("R@10", rows, LeaderboardRow::i2tR10Mean)), styles))
        .append(GroupedBarChart.render("recall-t2i", "Text → image", "K", "Recall@K (%)", List.of(
            group("R@1", rows, LeaderboardRow::t2iR1Mean),
            group("R@5", rows, LeaderboardRow::t2iR5Mean),
            group("R@10", rows, LeaderboardRow::t2iR10Mean)), styles))
        .append("</div>\n");
  }

  private static GroupedBarChart.Group group(String label, List<LeaderboardRow> rows,
      ToDoubleFunction<LeaderboardRow> recall) {
    return new GroupedBarChart.Group(label, rows.stream()
        .map(row -> new GroupedBarChart.Bar(row.variant(), recall.applyAsDouble(row)))
        .toList());
  }
}
