package dev.lossbench.workers.study;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.eval.EvaluationProtocol;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.failure.NotFoundException;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.Dataset;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.Run;
import dev.lossbench.schema.record.RunStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the study reads from the metrics store: the benchmark's datasets as the stored matrix lists
 * them, and each run that succeeded with its validation rSum and wall time per epoch, its test
 * rSum on the dataset's primary split and, with protocol {@code gap}, its rSum on the first n training
 * and test images. Runs that did not succeed are left out (as in the leaderboard):
 * a seed missing from one variant is paired with nothing.
 *
 * @param datasets in matrix order
 * @param runs the succeeded runs, by dataset, model, variant and seed
 * @param preregistration the stored matrix's {@code study:} block; null when it has none
 */
public record StudyInput(String benchmarkId, String benchmarkName, List<StudyDataset> datasets, List<StudyRun> runs,
    Preregistration preregistration) {

  public StudyInput {
    datasets = List.copyOf(datasets);
    runs = List.copyOf(runs);
  }

  /** Runs of a matrix without a {@code study:} block. */
  public StudyInput(String benchmarkId, String benchmarkName, List<StudyDataset> datasets, List<StudyRun> runs) {
    this(benchmarkId, benchmarkName, datasets, runs, null);
  }

  /**
   * A dataset of the benchmark.
   *
   * @param trainImages training images, where known (the synthetic generator's {@code train_images},
   *     else the prepared train split's size); null otherwise
   * @param initFrom the dataset whose checkpoints its cells start from (a fine-tuning stage); null for
   *     a dataset trained from scratch
   * @param validationIsTest its validation (dev) split is its test split (MSR-VTT without
   *     {@code MSRVTT_val.csv}): anything chosen on validation there was chosen on test data. From the run
   *     rows only ({@code run.validation_is_test}, set at registration): the dataset's files as they are now are
   *     not asked
   * @param gapImages n of protocol {@code gap}: min(training images, primary test split images), where known
   */
  public record StudyDataset(String id, String name, Long trainImages, String initFrom, boolean validationIsTest,
      Long gapImages) {
    public StudyDataset(String id, String name, Long trainImages, String initFrom, boolean validationIsTest) {
      this(id, name, trainImages, initFrom, validationIsTest, null);
    }

    public StudyDataset(String id, String name, Long trainImages, String initFrom) {
      this(id, name, trainImages, initFrom, false, null);
    }
  }

  /**
   * One epoch of a run.
   *
   * @param epoch from 1 (the store's {@code epoch_metric.epoch} + 1)
   * @param validationRsum null when the epoch was not validated
   * @param seconds wall time of the epoch's training and validation
   */
  public record EpochPoint(int epoch, Double validationRsum, double seconds) {}

  /**
   * A succeeded run.
   *
   * @param epochs in order
   * @param testRsum on its dataset's primary split; null when it has no result there
   * @param gapTrainRsum rSum on the first n training images (result row {@code gap-train}); null without
   *     protocol {@code gap}
   * @param gapTestRsum rSum on the first n images of the primary test split (row {@code gap-test}); null
   *     without protocol {@code gap}
   * @param validationIsTest the run row says it validated on its test split
   */
  public record StudyRun(String runId, String datasetId, String model, String lossName, String variant, long seed,
      List<EpochPoint> epochs, Double testRsum, Double gapTrainRsum, Double gapTestRsum, boolean validationIsTest) {
    public StudyRun {
      epochs = List.copyOf(epochs);
    }

    /** A run without train-set recall, validated on a validation split of its own. */
    public StudyRun(String runId, String datasetId, String model, String lossName, String variant, long seed,
        List<EpochPoint> epochs, Double testRsum) {
      this(runId, datasetId, model, lossName, variant, seed, epochs, testRsum, null, null, false);
    }
  }

  /**
   * Reads benchmark {@code benchmarkId}, in a fixed number of queries whatever the number of runs.
   *
   * @throws NotFoundException when there is no such benchmark
   */
  public static StudyInput load(MetricsStore store, String benchmarkId) {
    Benchmark benchmark = store.benchmarks().find(benchmarkId)
        .orElseThrow(() -> new NotFoundException("benchmark", benchmarkId));
    List<Run> runs = store.runs().byBenchmark(benchmarkId, EnumSet.of(RunStatus.SUCCEEDED));
    Map<String, Dataset> datasets = store.datasets().forBenchmark(benchmarkId);
    Map<String, Optional<Dataset>> stored = new TreeMap<>();
    for (Run run : runs) {
      stored.computeIfAbsent(run.datasetId(), id -> Optional.ofNullable(datasets.get(id)));
    }
    Map<String, List<EpochMetric>> epochMetrics = store.epochMetrics().forBenchmark(benchmarkId,
        EnumSet.of(RunStatus.SUCCEEDED));
    Map<String, List<Result>> results = store.results().forBenchmark(benchmarkId);
    List<StudyRun> studyRuns = new ArrayList<>();
    for (Run run : runs) {
      String split = stored.get(run.datasetId()).map(Dataset::primarySplit)
          .orElse(DatasetDefinition.DEFAULT_PRIMARY_SPLIT);
      List<EpochPoint> epochs = epochMetrics.getOrDefault(run.id(), List.of()).stream()
          .map(StudyInput::point)
          .toList();
      List<Result> runResults = results.getOrDefault(run.id(), List.of());
      Double test = rsum(runResults, split);
      Double gapTrain = rsum(runResults, EvaluationProtocol.GAP_TRAIN);
      Double gapTest = rsum(runResults, EvaluationProtocol.GAP_TEST);
      studyRuns.add(new StudyRun(run.id(), run.datasetId(), run.model(), run.lossName(), run.variant(), run.seed(),
          epochs, test, gapTrain, gapTest, run.validationIsTest()));
    }
    return new StudyInput(benchmark.id(), benchmark.name(),
        datasets(benchmark.spec(), store.benchmarks().datasetNames(benchmarkId), stored, studyRuns), studyRuns,
        Preregistration.of(benchmark.spec()));
  }

  private static Double rsum(List<Result> results, String split) {
    return results.stream().filter(r -> r.split().equals(split)).findFirst().map(Result::rsum).orElse(null);
  }

  private static EpochPoint point(EpochMetric m) {
    return new EpochPoint(m.epoch() + 1, m.validationRsum(), m.seconds());
  }

  // the stored matrix lists its datasets in matrix order with the id the store uses, each under the name stored with
  // the benchmark (its id where none is); datasets with runs that the spec does not name (a hand-made store) come
  // after them under their id
  private static List<StudyDataset> datasets(JsonNode spec, Map<String, String> names,
      Map<String, Optional<Dataset>> stored,
      List<StudyRun> runs) {
    List<StudyDataset> datasets = new ArrayList<>();
    if (spec != null) {
      for (JsonNode d : spec.path("datasets")) {
        String id = d.path("id").asText(null);
        if (id == null) {
          continue;
        }
        Optional<Dataset> prepared = Optional.ofNullable(stored.get(id)).flatMap(x -> x);
        Long train = knob(d, "train_images");
        if (train == null) {
          train = prepared.map(x -> images(x, "train")).orElse(null);
        }
        Long test = knob(d, "test_images");
        if (test == null || prepared.isPresent() && !isTest(prepared.get())) {
          test = prepared.map(x -> images(x, primarySplitFile(x))).orElse(null);
        }
        String from = d.path("init").path("from").asText(null);
        datasets.add(new StudyDataset(id, names.getOrDefault(id, id), train, from,
            flagged(runs, id), train == null || test == null ? null : Math.min(train, test)));
      }
    }
    for (StudyRun run : runs) {
      if (datasets.stream().noneMatch(d -> d.id().equals(run.datasetId()))) {
        Optional<Dataset> prepared = stored.get(run.datasetId());
        Long train = prepared.map(x -> images(x, "train")).orElse(null);
        Long test = prepared.map(x -> images(x, primarySplitFile(x))).orElse(null);
        datasets.add(new StudyDataset(run.datasetId(), run.datasetId(), train, null, flagged(runs, run.datasetId()),
            train == null || test == null ? null : Math.min(train, test)));
      }
    }
    return datasets;
  }

  private static Long knob(JsonNode d, String name) {
    JsonNode knob = d.path("synthetic").path(name);
    if (knob.isNumber()) {
      return knob.asLong();
    }
    return knob.isTextual() ? parseLong(knob.asText()) : null;
  }

  // the prepared dataset's split sizes: {"train_images": 150, "train_captions": 750, ...}
  private static Long images(Dataset d, String split) {
    Long n = d.splitSizes().get(split + "_images");
    return n != null ? n : d.splitSizes().get(split);
  }

  private static boolean isTest(Dataset d) {
    return primarySplitFile(d).equals(DatasetSplit.TEST.fileName());
  }

  // the file name of the split the dataset's primary protocol reads (coco1k: testall)
  private static String primarySplitFile(Dataset d) {
    return EvaluationProtocol.of(d.primarySplit()).map(p -> p.split().fileName()).orElse(d.primarySplit());
  }

  // the run rows say so (run.validation_is_test, recorded at registration): the only source, never the files as they
  // are now
  private static boolean flagged(List<StudyRun> runs, String datasetId) {
    return runs.stream().anyMatch(r -> r.datasetId().equals(datasetId) && r.validationIsTest());
  }

  private static Long parseLong(String text) {
    try {
      return (long) Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
