package dev.lossbench.schema.record;

import java.time.Instant;

/**
 * One training attempt of a run ({@code training_attempt}): what it trained and for how long.
 *
 * @param benchmarkId the benchmark whose submission ran it (a run linked to several benchmarks is trained by one)
 * @param epochsTrained the epochs this attempt finished (a resumed attempt counts only its own)
 * @param trainingSeconds the training loop's own seconds for those epochs (steps and validation; device seconds on
 *     a GPU)
 * @param failure how the attempt ended when it did not succeed: its failure's one-line message, or {@code lost: no
 *     result from attempt N} written by the next attempt; null while it runs, when it succeeded, or when not known
 */
public record TrainingAttempt(
    String runId,
    String benchmarkId,
    AttemptClaim claim,
    String worker,
    String device,
    Instant startedAt,
    int epochsTrained,
    double trainingSeconds,
    String failure) {}
