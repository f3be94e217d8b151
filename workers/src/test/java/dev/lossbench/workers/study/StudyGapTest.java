package dev.lossbench.workers.study;

import static dev.lossbench.workers.study.StudyFixture.INFONCE;
import static dev.lossbench.workers.study.StudyFixture.TRIPLET;
import static dev.lossbench.workers.study.StudyFixture.U20;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lossbench.retrieval.data.DatasetKind;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.BenchmarkDefinition;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.RunDefinition;
import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.schema.testing.MetricsStoreExtension;
import dev.lossbench.schema.testing.UnfencedWrites;
import dev.lossbench.workers.study.StudyResult.GapRow;
import dev.lossbench.workflows.matrix.DatasetFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Train-set recall beside test (issue #16): the study reads rows {@code gap-train} and {@code gap-test}, shows
 * per dataset the judged unified variant, VLC and Triplet-HN with test rSum, train and test rSum on n images and
 * their gap, and the gap paired against VLC's — as figures, leaving the verdicts as they were; without the rows
 * it says so. And a run row flagged as validating on test marks the study test-selected.
 */
@ExtendWith(MetricsStoreExtension.class)
class StudyGapTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void gapRowsGiveTrainAndTestRsumAtNAndTheirDifferencePairedAgainstVlc(MetricsStore store) {
    StudyFixture.record(store);
    StudyResult without = Study.compute(StudyInput.load(store, StudyFixture.BENCHMARK), StudyOptions.defaults());
    assertFalse(without.gapRecorded("target-150"));
    assertFalse(without.gapRecorded("target-300"));
    assertEquals("no train-set recall recorded (add protocol gap to the dataset)", StudyResult.NO_GAP);

    // target-150: train 300/310/320 vs test 250/252/257 (U20), 320/330/340 vs 240/245/250 (VLC), 280/290/300 vs
    // 200/210/220 (Triplet-HN): gaps 50/58/63, 80/85/90, 80/80/80 (the fixture's recalls hold rSum ≤ 400)
    gap(store, "unified-gamma-20", new double[]{300, 310, 320}, new double[]{250, 252, 257});
    gap(store, "infonce-tau-0-05", new double[]{320, 330, 340}, new double[]{240, 245, 250});
    gap(store, "triplet-hn", new double[]{280, 290, 300}, new double[]{200, 210, 220});
    StudyResult with = Study.compute(StudyInput.load(store, StudyFixture.BENCHMARK), StudyOptions.defaults());

    assertTrue(with.gapRecorded("target-150"));
    assertFalse(with.gapRecorded("target-300"), "no gap rows there");
    assertNull(with.datasets().get(0).gapImages(), "the fixture names no test_images and prepared nothing: n unknown");
    List<GapRow> rows = with.gap().stream().filter(g -> g.dataset().equals("target-150")).toList();
    assertEquals(List.of(U20, INFONCE, TRIPLET), rows.stream().map(GapRow::variant).toList(),
        "the judged unified variant, VLC, Triplet-HN; not every variant");
    assertEquals(List.of("unified (judged)", "VLC", "Triplet-HN"), rows.stream().map(GapRow::role).toList());
    GapRow u = rows.get(0);
    assertEquals(3, u.gap().n());
    assertEquals(1049.0 / 3, u.testRsum().mean(), 1e-9, "test rSum on the primary split, as in (b)");
    assertEquals(310.0, u.trainRsumAtN().mean(), 1e-9);
    assertEquals(253.0, u.testRsumAtN().mean(), 1e-9);
    assertEquals(57.0, u.gap().mean(), 1e-9);
    // U20 − VLC gaps: −30, −27, −27: mean −28; every sign negative with 3 pairs: exact sign-flip p = 2/2³
    assertEquals(3, u.gapVsVlc().n());
    assertEquals(-28.0, u.gapVsVlc().meanDifference(), 1e-9);
    assertEquals(0.25, u.gapVsVlc().p(), 1e-12);
    assertNull(rows.get(1).gapVsVlc(), "VLC against itself");
    assertEquals(80.0, rows.get(2).gap().mean(), 1e-9);
    assertEquals(0, with.gap().stream().filter(g -> g.dataset().equals("target-300")).mapToInt(g -> g.gap().n()).sum());

    // a figure, not a verdict: the verdicts are those of the study without the gap rows
    assertEquals(without.verdicts(), with.verdicts());
    assertEquals(without.generalisation(), with.generalisation());
  }

  @Test
  void runRowsValidatingOnTestMarkTheStudyTestSelected(MetricsStore store) {
    storeMsrvttBenchmark(store, "flagged", "/no/such/msrvtt/dir/any/more", true);

    StudyInput input = StudyInput.load(store, "benchmark-flagged-1");
    assertTrue(input.runs().stream().allMatch(StudyInput.StudyRun::validationIsTest));
    assertTrue(input.datasets().get(0).validationIsTest(), "from the run rows: the directory is gone");
    StudyResult r = Study.compute(input, StudyOptions.defaults());
    assertTrue(r.testSelected());
    assertTrue(r.verdicts().stream().allMatch(StudyResult.ClaimVerdict::testSelected));
    assertFalse(r.gapRecorded("videos"));
  }

  private static void gap(MetricsStore store, String variant, double[] train, double[] test) {
    for (int seed = 1; seed <= 3; seed++) {
      String id = "run-t150-" + variant + "-" + seed;
      UnfencedWrites.upsert(store, new Result(id, "gap-train", StudyFixture.recalls(train[seed - 1]), 1, 2, 1, 2));
      UnfencedWrites.upsert(store, new Result(id, "gap-test", StudyFixture.recalls(test[seed - 1]), 1, 2, 1, 2));
    }
  }

  /**
   * The study reads the stored flag only: a dataset directory that, as it is now, has no {@code MSRVTT_val.csv} does
   * not mark runs that were registered as validating on a validation split of their own (the file was there then).
   */
  @Test
  void theStudyAsksTheRunRowsNotTheDatasetsFilesAsTheyAreNow(MetricsStore store, @TempDir Path dir) throws IOException {
    Path msrvtt = Files.createDirectories(dir.resolve("msrvtt"));
    for (String f : List.of("MSRVTT_train.9k.csv", "MSRVTT_JSFUSION_test.csv", "MSRVTT_data.json",
        "frame_features.npy", "video_ids.txt")) {
      Files.createFile(msrvtt.resolve(f));
    }
    assertNotNull(DatasetFiles.validationIsTest(DatasetKind.MSRVTT, msrvtt.toString()),
        "the files now say dev is test");
    storeMsrvttBenchmark(store, "unflagged", msrvtt.toString(), false);

    StudyInput input = StudyInput.load(store, "benchmark-unflagged-1");
    assertTrue(input.runs().stream().noneMatch(StudyInput.StudyRun::validationIsTest));
    assertFalse(input.datasets().get(0).validationIsTest(), "from the run rows only");
    assertFalse(Study.compute(input, StudyOptions.defaults()).testSelected());
  }

  /** An MSR-VTT benchmark {@code benchmark-NAME-1} at {@code path}: two variants × two seeds, succeeded. */
  private static void storeMsrvttBenchmark(MetricsStore store, String name, String path, boolean validationIsTest) {
    String benchmark = "benchmark-" + name + "-1";
    String dataset = "msrvtt-" + name;
    ObjectNode spec = JSON.createObjectNode().put("name", name);
    ObjectNode d = spec.putArray("datasets").addObject().put("name", "videos").put("kind", "msrvtt")
        .put("id", dataset).put("path", path);
    assertEquals("msrvtt", d.get("kind").asText());
    store.benchmarks().register(new BenchmarkDefinition(benchmark, name, spec, "1", null));
    store.datasets().register(new DatasetDefinition(dataset, "msrvtt", path, null, "msrvtt1ka"));
    for (String variant : List.of(INFONCE, "unified:gamma=20,margin=0.2")) {
      for (int seed = 1; seed <= 2; seed++) {
        String id = "run-" + name + "-" + variant.replaceAll("[^a-z0-9]+", "-") + seed;
        store.runs().register(new RunDefinition(id, benchmark, dataset, "meanp",
            variant.substring(0, variant.indexOf(':')), null, variant, seed, null, validationIsTest));
        store.runs().start(id, "worker-0");
        UnfencedWrites.upsert(store, new EpochMetric(id, 0, 1.0, StudyFixture.recalls(100 + seed), 1e-3, 1, 10, null));
        UnfencedWrites.upsert(store, new Result(id, "msrvtt1ka", StudyFixture.recalls(200 + seed), 2, 5, 3, 6));
        store.runs().finish(id, RunStatus.SUCCEEDED, null);
      }
    }
  }
}
