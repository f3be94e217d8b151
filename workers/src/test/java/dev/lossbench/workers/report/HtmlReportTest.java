package dev.lossbench.workers.report;

import static dev.lossbench.workers.report.ReportFixture.BENCHMARK;
import static dev.lossbench.workers.report.ReportFixture.GPO;
import static dev.lossbench.workers.report.ReportFixture.INFONCE;
import static dev.lossbench.workers.report.ReportFixture.MEAN;
import static dev.lossbench.workers.report.ReportFixture.TRIPLET;
import static dev.lossbench.workers.report.ReportFixture.UNIFIED;
import static dev.lossbench.workers.report.ReportFixture.UNIFIED_20;
import static dev.lossbench.workers.report.ReportFixture.VARIANTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.record.RunDefinition;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The report of {@link ReportFixture}'s finished benchmark, read back as XML. Recording the fixture
 * takes seconds, so it is recorded and rendered once for the class; the extension empties the tables
 * before each test, and the tests that read the store again record it again.
 */
@ExtendWith(MetricsStoreExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HtmlReportTest {
  private static final String MEAN_PANEL = ReportFixture.DATASET + "/" + MEAN;
  private static final String GPO_PANEL = ReportFixture.DATASET + "/" + GPO;

  private final MetricsStore store;
  private String html;
  private ReportDocument report;

  HtmlReportTest(MetricsStore store) {
    this.store = store;
  }

  @BeforeAll
  void renderTheFixture(TestDatabase database) {
    ReportFixture.record(store, database);
    html = HtmlReport.render(ReportData.load(store, BENCHMARK));
    report = ReportDocument.parse(html);
  }

  @Test
  void headerNamesTheBenchmarkAndCountsRunsByStatus() {
    assertEquals("quick", report.one("//h1").getTextContent());
    assertTrue(report.one("//header//dl").getTextContent().contains(BENCHMARK));
    assertEquals("failed", report.one("//header//dd/span[contains(@class, 'status')]").getTextContent());
    assertEquals("2025-06-02 09:14:05 UTC", report.one("//dt[.='Created']/following-sibling::dd").getTextContent());
    assertEquals("2025-06-02 10:21:41 UTC", report.one("//dt[.='Finished']/following-sibling::dd").getTextContent());
    assertEquals(ReportFixture.DESCRIPTION, report.one("//header/p[@class='description']").getTextContent());
    assertEquals("24 runs", report.one("//p[@class='run-counts']/strong").getTextContent());
    assertEquals(List.of("succeeded 21", "failed 1", "diverged 1", "cancelled 1"),
        report.texts("//p[@class='run-counts']/span[@class='count']"));
    // the fixture's runs were written without training attempts, and no other benchmark had them
    assertEquals("0 run-epochs trained in 0 runs (0 s of training, 0.000 h), 0 runs from before (not trained again);"
        + " full grid unknown", report.one("//dt[.='Compute']/following-sibling::dd").getTextContent());
  }

  @Test
  void leaderboardRanksEveryVariantByMeanRsumWithTheSpreadOverSeeds() {
    assertEquals(List.of("1", "2", "3", "4"), report.texts(rows(MEAN_PANEL) + "/td[1]"));
    assertEquals(List.of(UNIFIED, UNIFIED_20, INFONCE, TRIPLET), report.texts(rows(MEAN_PANEL) + "/td[2]"));
    assertEquals(List.of("415.0 ± 6.2", "406.0 ± 2.0", "400.5 ± 0.7", "392.0 ± 2.0"),
        report.texts(rows(MEAN_PANEL) + "/td[3]"));
    assertEquals(List.of("+23.0", "+14.0", "+8.5", "baseline"), report.texts(rows(MEAN_PANEL) + "/td[4]"));
    assertEquals(List.of("3", "3", "2 / 3", "3"), report.texts(rows(MEAN_PANEL) + "/td[7]"),
        "the failed seed is missing from infonce's mean, and the table says so");
    Element unified = report.one(rows(MEAN_PANEL) + "[@data-variant='" + UNIFIED + "']");
    assertEquals("58.1 ± 0.9", cell(unified, 5), "i2t R@1");
    assertEquals("43.6 ± 0.7", cell(unified, 6), "t2i R@1");
    assertEquals("3 (422.0)", cell(unified, 8), "best seed and its rSum");

    assertEquals(List.of(UNIFIED_20, UNIFIED, INFONCE, TRIPLET), report.texts(rows(GPO_PANEL) + "/td[2]"));
    assertEquals(List.of("432.0 ± 2.0", "428.0 ± 3.0", "421.0 ± 1.0", "415.0"),
        report.texts(rows(GPO_PANEL) + "/td[3]"), "one seed: a mean without ±");
    assertEquals(List.of("+17.0", "+13.0", "+6.0", "baseline"), report.texts(rows(GPO_PANEL) + "/td[4]"));
    assertEquals("1 / 3", cell(report.one(rows(GPO_PANEL) + "[@data-variant='" + TRIPLET + "']"), 7));
  }

  @Test
  void leaderboardShowsTheStoredComparisonWithTheBaseline(TestDatabase database) {
    // the fixture finished without comparisons (as an older release left it): the report computes and stores them
    ReportFixture.record(store, database);
    assertFalse(store.comparisons().exists(BENCHMARK));
    ReportData.load(store, BENCHMARK);
    assertTrue(store.comparisons().exists(BENCHMARK));
    // unified − triplet-hn on seeds 1–3: 20, 21, 28; three seeds cannot bound a 95 % sign-flip interval, and the
    // smallest p (2/2³ = 0.25) is 0.75 after Holm over the three variants: undecided, though the t-test says 0.0118
    Element unified = report.one(rows(MEAN_PANEL) + "[@data-variant='" + UNIFIED + "']");
    assertEquals("+23.0 [\u2212\u221e, +\u221e]", cell(unified, 9));
    assertEquals("1.00 [0.44, 1.00]", cell(unified, 10));
    assertEquals("0.75 (pT 0.0118)", cell(unified, 11));
    assertEquals("undecided", cell(unified, 12));
    assertEquals(
        List.of("+23.0 [\u2212\u221e, +\u221e]", "+14.0 [\u2212\u221e, +\u221e]", "+9.5 [\u2212\u221e, +\u221e]", ""),
        report.texts(rows(MEAN_PANEL) + "/td[9]"),
        "paired by seed: infonce's two seeds against the baseline's same two");
    assertEquals(List.of("undecided", "undecided", "undecided", ""), report.texts(rows(MEAN_PANEL) + "/td[12]"));
    List<String> notes = report.texts("//section[@id='leaderboard']//p[contains(@class, 'comparison-note')]");
    assertTrue(notes.stream().anyMatch(n -> n.contains("smallest p the test can give is 2/2^2 = 0.5")),
        notes.toString());
  }

  @Test
  void convergenceHasOneCurvePerVariantInEachChart() {
    for (String chart : List.of("convergence", "train-loss")) {
      for (String panel : List.of(MEAN_PANEL, GPO_PANEL)) {
        Element svg = report.one(chart(panel, chart));
        for (String variant : VARIANTS) {
          List<Element> curves = report.all(svg,
              ".//*[@class='series'][@data-variant='" + variant + "']/*[@class='curve']");
          assertEquals(1, curves.size(), chart + " " + variant);
          assertEquals(ReportFixture.EPOCHS, curves.get(0).getAttribute("points").split(" ").length,
              chart + " " + variant + ": a point per epoch");
        }
        assertEquals(VARIANTS.size(), report.all(svg, ".//*[@class='curve']").size(), chart + ": no other curves");
      }
    }
    assertEquals(VARIANTS,
        report.all("//section[@id='convergence']/div[@data-panel='" + MEAN_PANEL + "']/ul[@class='legend']/li")
            .stream().map(li -> li.getAttribute("data-variant")).toList(),
        "legend");
  }

  @Test
  void validationBandsNeedTwoSeedsAndLeaveOutRunsThatDidNotSucceed() {
    Element gpo = report.one(chart(GPO_PANEL, "convergence"));
    assertEquals(3, report.all(gpo, ".//*[@class='band']").size());
    assertTrue(report.all(gpo, ".//*[@data-variant='" + TRIPLET + "']/*[@class='band']").isEmpty(),
        "triplet-hn on vse-gpo has one seed left (the diverged and cancelled ones do not count): no band");
    Element mean = report.one(chart(MEAN_PANEL, "convergence"));
    assertEquals(4, report.all(mean, ".//*[@class='band']").size());
    // the failed infonce seed 3 on vse-mean validated near rSum 30–60: counted, it would stretch the band, and
    // the y axis that covers it, down towards 0; left out, every curve starts above 200
    List<String> ticks = report.all(mean, ".//*[contains(@class, 'y-axis')]/*[@class='tick']").stream()
        .map(Element::getTextContent).toList();
    assertTrue(Double.parseDouble(ticks.get(0)) >= 150, "y axis starts at " + ticks.get(0));
  }

  @Test
  void finalRecallsAreGroupedBarsPerDirection() {
    for (String chart : List.of("recall-i2t", "recall-t2i")) {
      for (String panel : List.of(MEAN_PANEL, GPO_PANEL)) {
        Element svg = report.one(chart(panel, chart));
        for (String k : List.of("R@1", "R@5", "R@10")) {
          List<String> variants = report.all(svg, ".//*[@class='bar'][@data-group='" + k + "']").stream()
              .map(bar -> bar.getAttribute("data-variant")).sorted().toList();
          assertEquals(VARIANTS, variants, chart + " " + k + ": one bar per variant");
        }
      }
    }
    Element i2tOfMean = report.one(chart(MEAN_PANEL, "recall-i2t"));
    assertEquals(List.of("unified, R@1: 58.1"),
        report
            .all(i2tOfMean,
                ".//*[@class='bar'][@data-variant='" + UNIFIED + "'][@data-group='R@1']/*[local-name()='title']")
            .stream().map(Element::getTextContent).toList());
  }

  @Test
  void runTableListsEveryRunWithItsErrorEscaped() {
    assertEquals(24, report.all("//table[@class='runs']/tbody/tr[@data-run]").size());
    Element failed = report.one("//table[@class='runs']/tbody/tr[@data-run='" + ReportFixture.FAILED_RUN + "']");
    assertEquals(List.of(ReportFixture.DATASET_NAME, MEAN, INFONCE, "3", "failed", "3", "2"),
        report.all(failed, "td").subList(0, 7).stream().map(td -> td.getTextContent().strip()).toList(),
        "dataset (its name in the matrix), model, variant, seed, status, attempts, best epoch");
    assertEquals("", cell(failed, 9), "no test rSum");
    assertEquals("cuda:1 (NVIDIA H200)", cell(failed, 10), "the device of its latest attempt");
    // the error reads back exactly, so it was escaped rather than interpreted or mangled
    assertEquals(ReportFixture.FAILURE,
        report.one("//tr[@data-error-of='" + ReportFixture.FAILED_RUN + "']//pre").getTextContent());
    assertTrue(html.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;"));
    assertFalse(html.contains("<script"), "no script element, escaped or ours");
    assertEquals(ReportFixture.DIVERGENCE,
        report.one("//tr[@data-error-of='" + ReportFixture.DIVERGED_RUN + "']//pre").getTextContent());
    assertEquals(List.of(ReportFixture.DIVERGED_RUN, ReportFixture.CANCELLED_RUN, ReportFixture.FAILED_RUN),
        report.all("//tr[@class='error-row']").stream().map(tr -> tr.getAttribute("data-error-of")).toList(),
        "an error row under each run that did not succeed, and only those");
    assertEquals(ReportFixture.FAILED_RUN,
        report
            .one("//tr[@class='error-row'][@data-error-of='" + ReportFixture.FAILED_RUN + "']/preceding-sibling::tr[1]")
            .getAttribute("data-run"),
        "right below its run");

    Element succeeded = report.one("//tr[@data-run='" + ReportFixture.runId(MEAN, UNIFIED, 3) + "']");
    assertEquals("422.0", cell(succeeded, 9), "its test rSum");
    assertEquals("cuda:0 (NVIDIA H200)", cell(succeeded, 10));
    assertTrue(cell(succeeded, 8).matches("\\d+ min \\d\\d s"), cell(succeeded, 8));
  }

  @Test
  void theReportNeedsNoNetwork() {
    assertFalse(html.contains("http://"));
    assertFalse(html.contains("https://"));
    assertFalse(html.contains("url("), "no CSS that fetches");
    assertFalse(html.contains("@import"));
    assertFalse(Pattern.compile("<(script|link|img|iframe|object|embed)\\b").matcher(html).find());
    Matcher reference = Pattern.compile("\\b(src|href|xlink:href|action)\\s*=\\s*\"([^\"]*)\"").matcher(html);
    int references = 0;
    while (reference.find()) {
      references++;
      assertTrue(reference.group(2).startsWith("#"), "only in-page links: " + reference.group());
    }
    assertEquals(5, references, "the five section links (the fixture has what the study needs)");
  }

  @Test
  void theSameDataGivesTheSameBytes(TestDatabase database, @TempDir Path dir) throws IOException {
    ReportFixture.record(store, database);
    Path first = dir.resolve("first.html");
    Path second = dir.resolve("reports/second.html");

    HtmlReport.write(store, BENCHMARK, first);
    HtmlReport.write(store, BENCHMARK, second);

    assertEquals(-1, Files.mismatch(first, second));
    assertEquals(html, Files.readString(first, StandardCharsets.UTF_8), "and the same as from the first recording");
  }

  @Test
  void aBenchmarkWithoutRunsSaysSoInEverySection() {
    ReportFixture.registerBenchmark(store, "benchmark-empty");

    String empty = HtmlReport.render(ReportData.load(store, "benchmark-empty"));

    ReportDocument document = ReportDocument.parse(empty);
    assertEquals("0 runs", document.one("//p[@class='run-counts']/strong").getTextContent());
    assertEquals("not yet", document.one("//dt[.='Finished']/following-sibling::dd").getTextContent());
    for (String section : List.of("leaderboard", "convergence", "recall", "runs")) {
      assertEquals(List.of("No runs registered yet."),
          document.texts("//section[@id='" + section + "']/p[@class='empty']"),
          section);
    }
    assertTrue(document.all("//*[local-name()='svg'][@class='chart']").isEmpty());
  }

  @Test
  void aBenchmarkWithoutResultsYetShowsItsRunsAndSaysSoInTheOtherSections() {
    ReportFixture.registerBenchmark(store, "benchmark-new");
    store.datasets().register(new DatasetDefinition(ReportFixture.DATASET, "synthetic", null,
        new ObjectMapper().createObjectNode().put("seed", 1), null));
    store.runs().register(new RunDefinition("run-new-1", "benchmark-new", ReportFixture.DATASET, MEAN, "unified",
        null, UNIFIED, 1, null));
    store.runs().register(new RunDefinition("run-new-2", "benchmark-new", ReportFixture.DATASET, MEAN, "unified",
        null, UNIFIED, 2, null));
    store.runs().start("run-new-1", "worker-gpu-0");

    ReportDocument document = ReportDocument.parse(HtmlReport.render(ReportData.load(store, "benchmark-new")));

    assertEquals(List.of("No results yet."), document.texts("//section[@id='leaderboard']//p[@class='empty']"));
    assertEquals(List.of("No epochs recorded yet."), document.texts("//section[@id='convergence']//p[@class='empty']"));
    assertEquals(List.of("No results yet."), document.texts("//section[@id='recall']//p[@class='empty']"));
    assertEquals(List.of("running", "pending"), document.texts("//table[@class='runs']/tbody/tr[@data-run]/td[5]"));
    assertEquals(List.of("running", ""), document.texts("//table[@class='runs']/tbody/tr[@data-run]/td[8]"),
        "no duration that depends on when the report was written");
  }

  @Test
  void anUnknownBenchmarkIsNotFoundAndNothingIsWritten(@TempDir Path dir) {
    Path out = dir.resolve("report.html");

    NotFoundException e = assertThrows(NotFoundException.class, () -> HtmlReport.write(store, "benchmark-nope", out));

    assertEquals("benchmark", e.kind());
    assertFalse(Files.exists(out));
  }

  private static String rows(String panel) {
    return "//table[@class='leaderboard'][@data-panel='" + panel + "']/tbody/tr";
  }

  private static String chart(String panel, String chart) {
    return "//div[@data-panel='" + panel + "']//*[local-name()='svg'][@data-chart='" + chart + "']";
  }

  private static String cell(Element row, int column) {
    return ((Element) row.getElementsByTagName("td").item(column - 1)).getTextContent().strip();
  }
}
