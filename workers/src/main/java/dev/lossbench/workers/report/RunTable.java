package dev.lossbench.workers.report;

import static dev.lossbench.workers.report.Fragments.esc;

import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.workers.format.Figures;
import dev.lossbench.workers.format.StoppedText;
import java.time.Duration;
import java.util.Set;

/** Every run of the benchmark with where it ended, and why when it failed, diverged or was cancelled. */
final class RunTable {
  private static final Set<RunStatus> WITH_ERROR = Set.of(RunStatus.FAILED, RunStatus.DIVERGED, RunStatus.CANCELLED);
  private static final int COLUMNS = 10;

  private RunTable() {}

  static void append(StringBuilder html, ReportData data, VariantStyles styles) {
    html.append("<section id=\"runs\">\n<h2>Runs</h2>\n");
    if (data.runs().isEmpty()) {
      Fragments.empty(html, "No runs registered yet.");
      html.append("</section>\n");
      return;
    }
    html.append("<p class=\"note\">Duration is that of the latest attempt; rSum is the test rSum on the"
        + " dataset's primary split; Device is where the latest attempt trained. A run that failed, diverged or was cancelled has its error below it;"
        + " a run successive halving stopped shows its rung (epochs trained).</p>\n");
    html.append("<table class=\"runs\">\n<thead><tr><th>Dataset</th><th>Model</th><th>Loss variant</th>"
        + "<th class=\"num\">Seed</th><th>Status</th><th class=\"num\">Attempts</th>"
        + "<th class=\"num\">Best epoch</th><th class=\"num\">Duration</th><th class=\"num\">rSum</th><th>Device</th>"
        + "</tr></thead>\n<tbody>\n");
    for (Run run : data.runs()) {
      Double rsum = data.primaryRsum().get(run.id());
      html.append("<tr data-run=\"").append(esc(run.id())).append("\" data-status=\"")
          .append(run.status().sqlName()).append("\" title=\"run ").append(esc(run.id())).append("\">")
          .append("<td>").append(esc(data.datasetName(run.datasetId()))).append("</td>")
          .append("<td class=\"model\">").append(esc(run.model())).append("</td>")
          .append("<td class=\"variant\">").append(Fragments.swatch(run.variant(), styles))
          .append(esc(run.variant())).append("</td>")
          .append("<td class=\"num\">").append(run.seed()).append("</td>")
          .append("<td>").append(Fragments.statusBadge(run.status())).append(stoppedAt(data, run)).append("</td>")
          .append("<td class=\"num\">").append(run.attempts()).append("</td>")
          .append("<td class=\"num\">").append(run.bestEpoch() == null ? "" : run.bestEpoch()).append("</td>")
          .append("<td class=\"num\">").append(duration(run)).append("</td>")
          .append("<td class=\"num\">").append(rsum == null ? "" : Figures.recall(rsum)).append("</td>")
          .append("<td class=\"device\">").append(run.device() == null ? "" : esc(run.device())).append("</td></tr>\n");
      // the error in a row of its own, full width: stack traces and long messages stay readable
      if (WITH_ERROR.contains(run.status()) && run.error() != null && !run.error().isBlank()) {
        html.append("<tr class=\"error-row\" data-error-of=\"").append(esc(run.id())).append("\">")
            .append("<td colspan=\"").append(COLUMNS).append("\"><pre class=\"error\">")
            .append(esc(run.error().strip())).append("</pre></td></tr>\n");
      }
    }
    html.append("</tbody>\n</table>\n</section>\n");
  }

  // a stopped run's rung beside its badge: " at epoch 2 (rung)"
  private static String stoppedAt(ReportData data, Run run) {
    Integer rung = data.stoppedEpochs().get(run.id());
    return rung == null
        ? ""
        : " <span class=\"stopped-at\">" + esc(StoppedText.rung(rung))
            + "</span>";
  }

  // a running run has no end yet: "running" rather than a figure that depends on when the report was made
  private static String duration(Run run) {
    if (run.startedAt() == null) {
      return "";
    }
    if (run.finishedAt() == null) {
      return "running";
    }
    return Figures.duration(Duration.between(run.startedAt(), run.finishedAt()));
  }
}
