package dev.lossbench.workers.report;

import static dev.lossbench.workers.format.Figures.fixed;
import static dev.lossbench.workers.format.Figures.percent;
import static dev.lossbench.workers.report.Fragments.esc;
import static dev.lossbench.workers.study.StudyFigures.pairedCell;
import static dev.lossbench.workers.study.StudyFigures.summary;

import dev.lossbench.workers.study.SeedStatistics.Paired;
import dev.lossbench.workers.study.StudyInput.StudyDataset;
import dev.lossbench.workers.study.StudyResult;
import dev.lossbench.workers.study.StudyResult.ClaimVerdict;
import dev.lossbench.workers.study.StudyResult.ConvergenceRow;
import dev.lossbench.workers.study.StudyResult.DatasetVerdict;
import dev.lossbench.workers.study.StudyResult.Early;
import dev.lossbench.workers.study.StudyResult.GeneralisationRow;
import java.util.Locale;

/**
 * The study of the paper's two claims (what {@code lossbench study} prints), one block per model:
 * the verdicts with their reasons, then the convergence and generalisation tables behind them.
 * Shown only when the benchmark has what the study needs (see {@link ReportData#studies()}).
 */
final class StudySection {
  private StudySection() {}

  static void append(StringBuilder html, ReportData data, VariantStyles styles) {
    if (data.studies().isEmpty()) {
      return;
    }
    html.append("<section id=\"study\">\n<h2>Study of the paper's claims</h2>\n");
    StudyResult first = data.studies().get(0);
    double alpha = first.options().alpha();
    html.append(
        "<p class=\"note\">As <code>lossbench study</code> computes it, over the runs that succeeded: means over"
            + " seeds with [95% Student-t confidence intervals]; Δ is a variant minus a reference, paired over the seeds both"
            + " have, with the interval and two-sided p of the comparison engine's exact sign-flip test, uncorrected (* p &lt; ")
        .append(fixed(alpha, 2))
        .append("). Verdicts: Holm-corrected over the unified candidates (m &gt; 0; unless the matrix's study: block"
            + " pre-registers the judged one) and datasets; 'not supported' needs a significant difference the"
            + " other way or TOST equivalence, otherwise inconclusive. Convergence (Claim 1): the area under the"
            + " validation-rSum curve (mean validation rSum over epochs); epochs to ")
        .append(percent(first.options().threshold())).append(" of each run's own best is secondary.</p>\n");
    for (StudyResult study : data.studies()) {
      study(html, study, styles);
    }
    html.append("</section>\n");
  }

  private static void study(StringBuilder html, StudyResult r, VariantStyles styles) {
    double alpha = r.options().alpha();
    html.append("<div class=\"panel study\" data-model=\"").append(esc(r.model())).append("\">\n<h3>")
        .append(esc(r.model())).append("</h3>\n<p class=\"note\">Datasets: ");
    for (int i = 0; i < r.datasets().size(); i++) {
      StudyDataset d = r.datasets().get(i);
      html.append(i == 0 ? "" : "; ").append("<code>").append(esc(d.name())).append("</code>")
          .append(d.trainImages() == null ? "" : " (" + d.trainImages() + " training images)")
          .append(d.initFrom() == null ? "" : ", fine-tuned from <code>" + esc(d.initFrom()) + "</code>");
    }
    if (!r.excludedDatasets().isEmpty()) {
      html.append(" (left out: ").append(esc(String.join(", ", r.excludedDatasets()))).append(')');
    }
    html.append(". Triplet-HN: ").append(code(r.triplet())).append("; VLC: ").append(code(r.vlc()))
        .append("; unified loss judged: ").append(code(r.judged()))
        .append(
            r.testSelected() ? " — <strong>test-selected</strong>: a studied dataset validates on its test split" : "")
        .append(". Analysis: <strong class=\"standing\">").append(esc(r.standing().text())).append("</strong>.</p>\n");

    html.append("<ul class=\"verdicts\">\n");
    for (ClaimVerdict v : r.verdicts()) {
      html.append("<li data-claim=\"").append(v.claim()).append("\" data-primary=\"").append(v.primary())
          .append("\"><strong>Claim ").append(v.claim()).append(":</strong> ")
          .append(esc(v.statement())).append(' ').append(badge(v.outcome())).append(" <em class=\"standing\">")
          .append(esc(v.standing().text())).append("</em><br/>against ")
          .append(code(v.against())).append(v.testSelected() ? " (test-selected)" : "").append(": ")
          .append(esc(v.reason()));
      if (!v.datasets().isEmpty()) {
        html.append("\n<ul>\n");
        for (DatasetVerdict d : v.datasets()) {
          html.append("<li data-dataset=\"").append(esc(d.dataset())).append("\"><code>").append(esc(d.dataset()))
              .append("</code>").append(v.claim() == 2 && !d.decisive() ? " (context)" : "").append(": ")
              .append(badge(d.outcome())).append(' ').append(esc(d.reason())).append("</li>\n");
        }
        html.append("</ul>");
      }
      html.append("</li>\n");
    }
    html.append("</ul>\n");

    for (StudyDataset d : r.datasets()) {
      html.append("<h4>Convergence · <code>").append(esc(d.name())).append("</code></h4>\n")
          .append("<table class=\"study-convergence\" data-dataset=\"").append(esc(d.name())).append("\">\n<thead><tr>")
          .append("<th>Loss variant</th><th class=\"num\">Seeds</th><th class=\"num\">Curve area</th>")
          .append("<th class=\"num\">Δ vs Triplet-HN</th><th class=\"num\">Epochs to ")
          .append(percent(r.options().threshold())).append("</th><th class=\"num\">Δ vs Triplet-HN</th>")
          .append("<th class=\"num\">Seconds to ").append(percent(r.options().threshold())).append("</th>");
      r.options().earlyEpochs().forEach(e -> html.append("<th class=\"num\">Val rSum ep ").append(e)
          .append("</th><th class=\"num\">Δ vs Triplet-HN</th>"));
      html.append("</tr></thead>\n<tbody>\n");
      for (ConvergenceRow c : r.convergence()) {
        if (!c.dataset().equals(d.name())) {
          continue;
        }
        html.append(row(c.variant(), styles)).append(num(String.valueOf(c.epochsToThreshold().n())))
            .append(num(summary(c.curveArea(), 1))).append(delta(c.curveAreaVsTriplet(), 1, alpha))
            .append(num(summary(c.epochsToThreshold(), 2))).append(delta(c.epochsVsTriplet(), 2, alpha))
            .append(num(summary(c.secondsToThreshold(), 1)));
        for (Early e : c.early()) {
          html.append(num(summary(e.rsum(), 1))).append(delta(e.vsTriplet(), 1, alpha));
        }
        html.append("</tr>\n");
      }
      html.append("</tbody>\n</table>\n");
    }

    for (StudyDataset d : r.datasets()) {
      html.append("<h4>Generalisation · <code>").append(esc(d.name())).append("</code>")
          .append(d.trainImages() == null ? "" : " (" + d.trainImages() + " training images)").append("</h4>\n")
          .append("<table class=\"study-generalisation\" data-dataset=\"").append(esc(d.name()))
          .append("\">\n<thead><tr>")
          .append("<th>Loss variant</th><th class=\"num\">Test rSum</th><th class=\"num\">Δ vs VLC</th>")
          .append("<th class=\"num\">Δ vs Triplet-HN</th></tr></thead>\n<tbody>\n");
      for (GeneralisationRow g : r.generalisation()) {
        if (!g.dataset().equals(d.name())) {
          continue;
        }
        html.append(row(g.variant(), styles)).append(num(summary(g.testRsum(), 1) + " n=" + g.testRsum().n()))
            .append(delta(g.vsVlc(), 1, alpha)).append(delta(g.vsTriplet(), 1, alpha)).append("</tr>\n");
      }
      html.append("</tbody>\n</table>\n");
    }
    gap(html, r, styles, alpha);
    html.append("</div>\n");
  }

  // train-set recall beside test (protocol gap): a figure, not a verdict
  private static void gap(StringBuilder html, StudyResult r, VariantStyles styles, double alpha) {
    for (StudyDataset d : r.datasets()) {
      html.append("<h4>Generalisation gap · <code>").append(esc(d.name())).append("</code>")
          .append(d.gapImages() == null ? "" : " (n = " + d.gapImages() + ")").append("</h4>\n");
      if (!r.gapRecorded(d.name())) {
        html.append("<p class=\"note study-gap-missing\" data-dataset=\"").append(esc(d.name())).append("\">")
            .append(esc(StudyResult.NO_GAP)).append("</p>\n");
        continue;
      }
      String at = d.gapImages() == null ? "@n" : "@" + d.gapImages();
      html.append("<p class=\"note\">rSum on the first n training images beside the first n test images (protocol"
          + " <code>gap</code>, equal galleries); gap = train − test per seed; Δ gap vs VLC paired, uncorrected:"
          + " a figure, not a verdict.</p>\n")
          .append("<table class=\"study-gap\" data-dataset=\"").append(esc(d.name())).append("\">\n<thead><tr>")
          .append("<th>Loss variant</th><th>Role</th><th class=\"num\">Test rSum</th><th class=\"num\">Train rSum")
          .append(at).append("</th><th class=\"num\">Test rSum").append(at).append("</th><th class=\"num\">Gap")
          .append(at).append("</th><th class=\"num\">Δ gap vs VLC</th></tr></thead>\n<tbody>\n");
      for (StudyResult.GapRow g : r.gap()) {
        if (g.dataset().equals(d.name())) {
          html.append(row(g.variant(), styles)).append("<td>").append(esc(g.role())).append("</td>")
              .append(num(summary(g.testRsum(), 1))).append(num(summary(g.trainRsumAtN(), 1)))
              .append(num(summary(g.testRsumAtN(), 1))).append(num(summary(g.gap(), 1) + " n=" + g.gap().n()))
              .append(delta(g.gapVsVlc(), 1, alpha)).append("</tr>\n");
        }
      }
      html.append("</tbody>\n</table>\n");
    }
  }

  private static String row(String variant, VariantStyles styles) {
    return "<tr data-variant=\"" + esc(variant) + "\"><td class=\"variant\">" + Fragments.swatch(variant, styles)
        + esc(variant) + "</td>";
  }

  private static String num(String text) {
    return "<td class=\"num\">" + esc(text) + "</td>";
  }

  private static String delta(Paired d, int decimals, double alpha) {
    String cls = d != null && d.significant(alpha) ? " significant" : "";
    return "<td class=\"num delta" + cls + "\">" + esc(pairedCell(d, decimals, alpha)) + "</td>";
  }

  private static String code(String variant) {
    return variant == null ? "none" : "<code>" + esc(variant) + "</code>";
  }

  private static String badge(StudyResult.Outcome outcome) {
    return "<span class=\"verdict verdict-" + outcome.name().toLowerCase(Locale.ROOT).replace('_', '-') + "\">"
        + outcome.text() + "</span>";
  }
}
