package dev.lossbench.schema.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.schema.record.Benchmark;
import dev.lossbench.schema.record.BenchmarkDefinition;
import dev.lossbench.schema.record.DatasetDefinition;
import dev.lossbench.schema.record.EpochMetric;
import dev.lossbench.schema.record.Recalls;
import dev.lossbench.schema.record.Result;
import dev.lossbench.schema.record.RunDefinition;
import java.io.UncheckedIOException;

/** Small builders for the rows tests need. */
final class Fixtures {
  static final String BENCHMARK = "quick-3f2a9c";
  static final String DATASET = "synthetic-s7";
  static final String MODEL = "vse-gru";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Registers benchmark {@link #BENCHMARK} and dataset {@link #DATASET}. */
  static void registerBenchmarkAndDataset(MetricsStore store) {
    registerBenchmark(store, BENCHMARK, null);
    store.datasets().register(new DatasetDefinition(DATASET, "synthetic", null,
        json("{\"images\": 200, \"seed\": 7}"), "test"));
  }

  static Benchmark registerBenchmark(MetricsStore store, String id, String baselineLoss) {
    return store.benchmarks().register(new BenchmarkDefinition(id, "quick", json("{\"seeds\": [1, 2, 3]}"),
        "hash-" + id, baselineLoss));
  }

  static RunDefinition run(String id, String variant, long seed) {
    return run(id, BENCHMARK, variant, seed);
  }

  static RunDefinition run(String id, String benchmarkId, String variant, long seed) {
    String lossName = variant.contains(":") ? variant.substring(0, variant.indexOf(':')) : variant;
    return new RunDefinition(id, benchmarkId, DATASET, MODEL, lossName, json("{\"variant\": \"" + variant + "\"}"),
        variant, seed, json("{\"epochs\": 3, \"batch_size\": 128}"));
  }

  /** Six recalls summing to {@code rsum}, with the given R@1s. */
  static Recalls recalls(double i2tR1, double t2iR1, double rsum) {
    double rest = (rsum - i2tR1 - t2iR1) / 4;
    return new Recalls(i2tR1, rest, rest, t2iR1, rest, rest);
  }

  static Result result(String runId, String split, double i2tR1, double t2iR1, double rsum) {
    return new Result(runId, split, recalls(i2tR1, t2iR1, rsum), 2, 7.5, 3, 11.25);
  }

  static EpochMetric epoch(String runId, int epoch, double trainLoss, Double validationRsum) {
    Recalls validation = validationRsum == null
        ? null
        : new Recalls(validationRsum / 6, validationRsum / 6, validationRsum / 6, validationRsum / 6,
            validationRsum / 6, validationRsum / 6);
    return new EpochMetric(runId, epoch, trainLoss, validation, 2e-4, 12.5, 800, 1.5);
  }
}
