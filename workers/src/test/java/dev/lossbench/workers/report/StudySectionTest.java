package dev.lossbench.workers.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.TestDatabase;
import dev.lossbench.schema.testing.UnfencedWrites;
import dev.lossbench.workers.study.StudyFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The report's study section: the same numbers and verdicts as {@code lossbench study}, only when there is a study. */
@ExtendWith(MetricsStoreExtension.class)
class StudySectionTest {
  @Test
  void showsTheVerdictsAndTheTablesBehindThem(MetricsStore store) {
    StudyFixture.record(store);
    String html = HtmlReport.render(ReportData.load(store, StudyFixture.BENCHMARK));
    ReportDocument report = ReportDocument.parse(html);

    assertEquals(1, report.all("//nav/a[@href='#study']").size());
    String block = "//section[@id='study']/div[@data-model='" + StudyFixture.MODEL + "']";
    // Claim 1, Claim 2 against the best VLC and against VLC at τ = 1/γ: with 3 seeds the exact sign-flip test cannot
    // go below p = 0.25, so nothing is decided
    assertEquals(List.of("inconclusive", "inconclusive", "inconclusive"),
        report.texts(block + "/ul[@class='verdicts']/li/span[contains(@class, 'verdict')]"));
    assertEquals(List.of("inconclusive", "inconclusive"),
        report.texts(block + "/ul[@class='verdicts']/li[@data-claim='1']/ul/li/span"));
    String claim2 = report.one(block + "/ul[@class='verdicts']/li[@data-claim='2'][@data-primary='true']")
        .getTextContent();
    assertTrue(claim2.contains("judged on target-150, the smallest training set (150 images)"), claim2);
    assertTrue(claim2.contains("against infonce:tau=0.05 (VLC, best on validation)"), claim2);
    // γ20 on target-150: test rSum 1049/3 [340.9, 358.4], +44/3 over VLC, every seed ahead: sign-flip p = 2/2³
    String row = block + "/table[@class='study-generalisation'][@data-dataset='target-150']/tbody/tr[@data-variant='"
        + StudyFixture.U20 + "']";
    assertEquals(List.of("unified:gamma=20", "349.7 [340.9, 358.4] n=3", "+14.7 [unbounded] p=0.25",
        "+39.7 [unbounded] p=0.25"), report.texts(row + "/td"));
    String conv = block + "/table[@class='study-convergence'][@data-dataset='target-150']/tbody/tr[@data-variant='"
        + StudyFixture.TRIPLET + "']";
    assertEquals(List.of("triplet-hn", "3", "158.0 [131.6, 184.4]", "–", "3.33 [1.90, 4.77]", "–", "33.3 [19.0, 47.7]",
        "100.0 [75.2, 124.8]", "–", "150.0 [125.2, 174.8]", "–"), report.texts(conv + "/td"));
    assertTrue(html.contains("not pre-registered"), "the analysis' standing is shown");
    assertFalse(html.contains("data-dataset=\"source\""), "the pretraining stage is left out");
    // no protocol gap in the fixture: said per dataset, no gap table
    assertEquals(List.of("no train-set recall recorded (add protocol gap to the dataset)"),
        report.texts(block + "/p[contains(@class, 'study-gap-missing')][@data-dataset='target-150']"));
    assertEquals(0, report.all(block + "/table[@class='study-gap']").size());
  }

  @Test
  void showsTheGapBesideTestWhenTheRunsRecordedIt(MetricsStore store) {
    StudyFixture.record(store);
    for (int seed = 1; seed <= 3; seed++) {
      for (String variant : List.of("unified-gamma-20", "infonce-tau-0-05", "triplet-hn")) {
        String id = "run-t150-" + variant + "-" + seed;
        UnfencedWrites.upsert(store, new Result(id, "gap-train", StudyFixture.recalls(300 + 8 * seed), 1, 2, 1, 2));
        UnfencedWrites.upsert(store, new Result(id, "gap-test", StudyFixture.recalls(
            variant.startsWith("unified") ? 260 : 240 + 8 * seed), 1, 2, 1, 2));
      }
    }
    ReportDocument report = ReportDocument.parse(HtmlReport.render(ReportData.load(store, StudyFixture.BENCHMARK)));

    String block = "//section[@id='study']/div[@data-model='" + StudyFixture.MODEL + "']";
    String table = block + "/table[@class='study-gap'][@data-dataset='target-150']";
    assertEquals(List.of(StudyFixture.U20, StudyFixture.INFONCE, StudyFixture.TRIPLET),
        report.all(table + "/tbody/tr").stream().map(e -> e.getAttribute("data-variant")).toList());
    // unified: train 308/316/324, test 260 each: gap 48/56/64; VLC: gap 60 each; Δ −12/−4/+4
    assertEquals(List.of("unified:gamma=20", "unified (judged)", "349.7 [340.9, 358.4]", "316.0 [296.1, 335.9]",
        "260.0 [260.0, 260.0]", "56.0 [36.1, 75.9] n=3", "-4.0 [unbounded] p=0.75"),
        report.texts(table + "/tbody/tr[@data-variant='" + StudyFixture.U20 + "']/td"));
    assertEquals(1, report.all(block + "/p[contains(@class, 'study-gap-missing')][@data-dataset='target-300']").size());
  }

  @Test
  void noSectionWithoutWhatTheStudyNeeds(MetricsStore store, TestDatabase database) {
    ReportFixture.registerBenchmark(store, "benchmark-empty");
    ReportDocument report = ReportDocument.parse(HtmlReport.render(ReportData.load(store, "benchmark-empty")));
    assertTrue(report.all("//section[@id='study']").isEmpty());
    assertTrue(report.all("//nav/a[@href='#study']").isEmpty());
  }
}
