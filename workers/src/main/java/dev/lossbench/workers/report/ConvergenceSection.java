package dev.lossbench.workers.report;

import dev.lossbench.schema.record.ConvergenceRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The paper's convergence comparison: per dataset × model, validation rSum against epoch with one
 * curve per loss variant (the mean over seeds) over a band from the lowest to the highest seed, and
 * the mean training loss beside it.
 */
final class ConvergenceSection {
  private ConvergenceSection() {}

  static void append(StringBuilder html, ReportData data, VariantStyles styles) {
    html.append("<section id=\"convergence\">\n<h2>Convergence</h2>\n");
    html.append("<p class=\"note\">Lines: mean over seeds; band: lowest to highest seed. Runs that are running"
        + " or succeeded count; failed, diverged and cancelled runs are left out.</p>\n");
    if (data.panels().isEmpty()) {
      Fragments.empty(html, "No runs registered yet.");
    }
    for (Panel panel : data.panels()) {
      Fragments.openPanel(html, data, panel);
      charts(html, data.convergence(panel), styles);
      Fragments.closePanel(html);
    }
    html.append("</section>\n");
  }

  private static void charts(StringBuilder html, Map<String, List<ConvergenceRow>> curves, VariantStyles styles) {
    List<EpochChart.Series> validation = new ArrayList<>();
    List<EpochChart.Series> trainLoss = new ArrayList<>();
    curves.forEach((variant, rows) -> {
      validation.add(validationSeries(variant, rows));
      trainLoss.add(trainLossSeries(variant, rows));
    });
    boolean validated = validation.stream().anyMatch(s -> !s.points().isEmpty());
    boolean trained = trainLoss.stream().anyMatch(s -> !s.points().isEmpty());
    if (!validated && !trained) {
      Fragments.empty(html, "No epochs recorded yet.");
      return;
    }
    Fragments.legend(html, curves.keySet(), styles);
    html.append("<div class=\"charts\">\n");
    if (validated) {
      html.append(EpochChart.render("convergence", "Validation rSum", "rSum (validation)", validation, styles));
    } else {
      Fragments.empty(html, "No validation yet.");
    }
    if (trained) {
      html.append(EpochChart.render("train-loss", "Training loss", "mean loss", trainLoss, styles));
    }
    html.append("</div>\n");
  }

  private static EpochChart.Series validationSeries(String variant, List<ConvergenceRow> rows) {
    List<EpochChart.Point> points = new ArrayList<>();
    List<EpochChart.Band> band = new ArrayList<>();
    for (ConvergenceRow row : rows) {
      if (row.valRsumMean() != null && Double.isFinite(row.valRsumMean())) {
        points.add(new EpochChart.Point(row.epoch(), row.valRsumMean()));
      }
      // a band needs two seeds; with one, min = max and there is no spread to show
      if (row.validatedSeeds() >= 2 && row.valRsumMin() != null && row.valRsumMax() != null) {
        band.add(new EpochChart.Band(row.epoch(), row.valRsumMin(), row.valRsumMax()));
      }
    }
    return new EpochChart.Series(variant, points, band);
  }

  private static EpochChart.Series trainLossSeries(String variant, List<ConvergenceRow> rows) {
    // a NaN loss of a run still running (about to be marked diverged) would break the axis: left out
    List<EpochChart.Point> points = rows.stream()
        .filter(row -> Double.isFinite(row.trainLossMean()))
        .map(row -> new EpochChart.Point(row.epoch(), row.trainLossMean()))
        .toList();
    return new EpochChart.Series(variant, points, List.of());
  }
}
