package dev.lossbench.workers.report;

import static dev.lossbench.workers.report.Fragments.esc;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.workers.format.ComputeText;
import dev.lossbench.workers.format.Figures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The benchmark report: one self-contained HTML file — inline CSS and SVG, no script, no URL — that
 * opens offline and reads the same in any browser. Sections: the benchmark and its run counts, the
 * leaderboard, the convergence curves, the final Recall@K bars, the study of the paper's claims (when
 * the benchmark has what it needs) and the run table.
 *
 * <pre>{@code
 * HtmlReport.write(store, "benchmark-quick-3f2a9c", Path.of("report.html"));
 * }</pre>
 *
 * <p>Charts are hand-written SVG rather than a charting library's output: the report needs only lines,
 * bands and bars, and writing them ourselves keeps the bytes stable for the same data, lets every
 * curve and bar carry its variant ({@code data-variant}) for readers and tests, and styles the charts
 * with the page's CSS. The markup is also well-formed XML.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /**
   * Reads benchmark {@code benchmarkId} from {@code store} and writes its report to {@code out}
   * (UTF-8), creating missing parent directories and replacing an existing file.
   *
   * @throws NotFoundException when there is no such benchmark; nothing is written then
   */
  public static void write(MetricsStore store, String benchmarkId, Path out) throws IOException {
    String html = render(ReportData.load(store, benchmarkId));
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, html, StandardCharsets.UTF_8);
  }

  /** The report as HTML text: the same data always gives the same text. */
  public static String render(ReportData data) {
    VariantStyles styles = new VariantStyles(data.variants());
    Benchmark benchmark = data.benchmark();
    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<title>lossbench report: ").append(esc(benchmark.name())).append("</title>\n")
        .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
    header(html, data);
    LeaderboardSection.append(html, data, styles);
    ConvergenceSection.append(html, data, styles);
    RecallSection.append(html, data, styles);
    StudySection.append(html, data, styles);
    RunTable.append(html, data, styles);
    html.append("<footer>Written by <code>lossbench report</code> from the metrics store's views"
        + " (leaderboard, convergence, loss_delta) and run table.</footer>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void header(StringBuilder html, ReportData data) {
    Benchmark benchmark = data.benchmark();
    html.append("<header>\n<p class=\"kicker\">lossbench report</p>\n<h1>").append(esc(benchmark.name()))
        .append("</h1>\n");
    data.description().ifPresent(d -> html.append("<p class=\"description\">").append(esc(d)).append("</p>\n"));
    html.append("<dl class=\"facts\">\n");
    fact(html, "Benchmark", "<code>" + esc(benchmark.id()) + "</code>");
    fact(html, "Status", "<span class=\"status status-" + benchmark.status().sqlName() + "\">"
        + benchmark.status().sqlName() + "</span>");
    fact(html, "Baseline", "<code>" + esc(benchmark.baselineLoss()) + "</code>");
    fact(html, "Created", Figures.timestamp(benchmark.createdAt()));
    fact(html, "Finished", benchmark.finishedAt() == null ? "not yet" : Figures.timestamp(benchmark.finishedAt()));
    if (data.compute() != null) {
      fact(html, "Compute", esc(ComputeText.line(data.compute())));
    }
    html.append("</dl>\n");

    Map<RunStatus, Integer> counts = data.runCounts();
    html.append("<p class=\"run-counts\"><strong>").append(data.runs().size())
        .append(data.runs().size() == 1 ? " run" : " runs").append("</strong>");
    counts.forEach((status, count) -> html.append(" <span class=\"count\" data-status=\"")
        .append(status.sqlName()).append("\">").append(Fragments.statusBadge(status)).append(' ')
        .append(count).append("</span>"));
    html.append("</p>\n<nav><a href=\"#leaderboard\">Leaderboard</a> <a href=\"#convergence\">Convergence</a>"
        + " <a href=\"#recall\">Recall@K</a>" + (data.studies().isEmpty() ? "" : " <a href=\"#study\">Study</a>")
        + " <a href=\"#runs\">Runs</a></nav>\n</header>\n");
  }

  private static void fact(StringBuilder html, String term, String markup) {
    html.append("<div><dt>").append(term).append("</dt><dd>").append(markup).append("</dd></div>\n");
  }

  private static final String STYLE = """
      :root { color-scheme: light; --ink: #1f2328; --muted: #656d76; --line: #d0d7de; --faint: #f6f8fa; }
      * { box-sizing: border-box; }
      body { margin: 0 auto; max-width: 1160px; padding: 24px 28px 48px; color: var(--ink);
             font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
      h1 { margin: 0 0 4px; font-size: 28px; }
      h2 { margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); font-size: 20px; }
      h3 { margin: 20px 0 6px; font-size: 15px; }
      code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
      .kicker { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: .08em; font-size: 12px; }
      .description { margin: 0 0 12px; color: var(--muted); }
      .muted { color: var(--muted); font-weight: normal; }
      .note { margin: 4px 0 8px; color: var(--muted); }
      .empty { padding: 10px 14px; background: var(--faint); border: 1px dashed var(--line); border-radius: 6px;
               color: var(--muted); }
      .facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 12px 0; }
      .facts div { display: flex; gap: 8px; }
      .facts dt { color: var(--muted); }
      .facts dd { margin: 0; }
      .run-counts { margin: 8px 0; }
      .run-counts .count { margin-left: 12px; }
      nav a { margin-right: 14px; color: #0969da; text-decoration: none; }
      table { border-collapse: collapse; margin: 6px 0 12px; }
      caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: 4px; }
      th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
      th { background: var(--faint); font-weight: 600; white-space: nowrap; }
      td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
      tbody tr:nth-child(even) { background: #fbfcfd; }
      table.leaderboard td.rsum { font-weight: 600; }
      td.delta.gain { color: #1a7f37; }
      td.delta.loss { color: #cf222e; }
      td.delta.baseline { color: var(--muted); font-style: italic; }
      td.variant, td.model { white-space: nowrap; }
      .dot { display: inline-block; width: 10px; height: 10px; margin-right: 7px; border-radius: 50%; }
      table.runs { font-size: 13px; }
      table.runs tr.error-row td { padding-top: 0; background: #fff8f7; }
      pre.error { margin: 0 0 2px; padding: 6px 10px; max-height: 12em; overflow: auto; white-space: pre-wrap;
                  word-break: break-word; color: #82071e; border-left: 3px solid #ff8182; }
      .status { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; font-weight: 600;
                background: #eaeef2; color: var(--muted); }
      .status-succeeded { background: #dafbe1; color: #116329; }
      .status-failed { background: #ffebe9; color: #a40e26; }
      .status-diverged { background: #fff1e5; color: #953800; }
      .status-running { background: #ddf4ff; color: #0550ae; }
      .status-stopped { background: #f3e8ff; color: #6e40c9; }
      table.leaderboard tr.stopped td { color: #57606a; }
      .legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 4px 0; padding: 0; list-style: none; }
      .legend li { display: flex; align-items: center; gap: 6px; }
      .swatch line { stroke-width: 3; }
      .charts { display: flex; flex-wrap: wrap; gap: 16px; }
      svg.chart { background: #fff; border: 1px solid var(--line); border-radius: 6px; }
      svg.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
      svg.chart .chart-title { font-size: 13px; font-weight: 600; }
      svg.chart .tick, svg.chart .bar-value { font-size: 10.5px; fill: var(--muted); }
      svg.chart .axis-label { font-size: 11.5px; fill: var(--muted); }
      svg.chart .grid { stroke: #eaeef2; }
      svg.chart .axis-line, svg.chart .tick-mark { stroke: #8c959f; }
      svg.chart .curve { fill: none; stroke-width: 2; stroke-linejoin: round; }
      svg.chart .band { fill-opacity: .16; stroke: none; }
      h4 { margin: 14px 0 4px; font-size: 13.5px; }
      ul.verdicts { padding-left: 18px; }
      ul.verdicts > li { margin: 6px 0 10px; }
      ul.verdicts ul { margin: 4px 0; color: var(--muted); font-size: 13px; }
      .verdict { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; font-weight: 600; }
      .verdict-supported { background: #dafbe1; color: #116329; }
      .verdict-not-supported { background: #ffebe9; color: #a40e26; }
      .verdict-inconclusive { background: #eaeef2; color: var(--muted); }
      td.delta.significant { font-weight: 600; }
      footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
      """;
}
