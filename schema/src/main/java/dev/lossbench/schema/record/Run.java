package dev.lossbench.schema.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A stored run: its definition and where it is.
 *
 * @param attempts how many times it was started (each move to running counts one)
 * @param worker the worker of the latest attempt
 * @param error why the latest attempt failed, diverged or was cancelled; null otherwise
 * @param startedAt the run's first start (a retry keeps it; each attempt's start is in {@code training_attempt}); null
 *     while pending (a requeued run starts anew)
 * @param finishedAt end of the latest attempt; null while pending or running
 * @param validationIsTest it validates on its dataset's test split (see {@link RunDefinition#validationIsTest()})
 * @param device where the latest attempt trained ({@code cpu}, {@code cuda:0 (NVIDIA H200)}); null before one started
 * @param peakDeviceMemoryBytes the most device memory seen in use during the latest attempt; null on the CPU or
 *     when CUDA does not say
 */
public record Run(
    String id,
    String benchmarkId,
    String datasetId,
    String model,
    String lossName,
    JsonNode lossParams,
    String variant,
    long seed,
    JsonNode trainingConfig,
    RunStatus status,
    int attempts,
    String worker,
    String error,
    Integer bestEpoch,
    String checkpointLocation,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    boolean validationIsTest,
    String device,
    Long peakDeviceMemoryBytes) {

  public Run {
    lossParams = JsonCopies.copy(lossParams);
    trainingConfig = JsonCopies.copy(trainingConfig);
  }

  @Override
  public JsonNode lossParams() {
    return JsonCopies.copy(lossParams);
  }

  @Override
  public JsonNode trainingConfig() {
    return JsonCopies.copy(trainingConfig);
  }

  /** The definition this run was registered with. */
  public RunDefinition definition() {
    return new RunDefinition(id, benchmarkId, datasetId, model, lossName, lossParams, variant, seed, trainingConfig,
        validationIsTest);
  }
}
