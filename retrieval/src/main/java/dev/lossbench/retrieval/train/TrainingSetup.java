package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.io.Sha256;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run is: its data, specs, configuration and seed, the checkpoint a fine-tuning run starts
 * from and the parameters it freezes, and the {@link RunIdentity} all of that amounts to.
 */
final class TrainingSetup {
  final RetrievalDataset train;
  final RetrievalDataset dev;
  final ModelSpec modelSpec;
  final LossSpec lossSpec;
  final TrainingConfig config;
  final long seed;
  /** Checkpoint whose weights and vocabulary a fine-tuning run starts from; null for a cold start. */
  final Path init;
  /** Name prefixes of parameters the run does not update (besides those the model's spec freezes). */
  final List<String> frozen;
  // the files' digests are part of the identity, which every checkpoint write asks for: hashed once
  private String initDigest;
  /** The init file's SHA-256 as recorded when the matrix was read: trusted, not computed again. */
  private String recordedInitDigest;
  private Optional<String> moduleDigest;

  TrainingSetup(RetrievalDataset train, RetrievalDataset dev, ModelSpec modelSpec, LossSpec lossSpec,
      TrainingConfig config, long seed, Path init, List<String> frozen) {
    this.train = train;
    this.dev = dev;
    this.modelSpec = modelSpec;
    this.lossSpec = lossSpec;
    this.config = config;
    this.seed = seed;
    this.init = init;
    this.frozen = List.copyOf(frozen);
  }

  TrainingSetup startingFrom(Path checkpoint, List<String> frozenPrefixes) {
    return new TrainingSetup(train, dev, modelSpec, lossSpec, config, seed,
        Objects.requireNonNull(checkpoint, "checkpoint"),
        frozenPrefixes);
  }

  /** {@link #startingFrom}, with the checkpoint's SHA-256 already known (recorded when the matrix was read). */
  TrainingSetup startingFrom(Path checkpoint, String checkpointSha256, List<String> frozenPrefixes) {
    TrainingSetup setup = startingFrom(checkpoint, frozenPrefixes);
    setup.recordedInitDigest = Objects.requireNonNull(checkpointSha256, "checkpointSha256");
    return setup;
  }

  TrainingSetup freezing(List<String> frozenPrefixes) {
    return new TrainingSetup(train, dev, modelSpec, lossSpec, config, seed, init, frozenPrefixes);
  }

  RunIdentity identity() {
    String training = config.canonical();
    if (init != null) {
      training += " | init " + init.toAbsolutePath().normalize() + " sha256 " + initDigest();
    }
    if (!frozen.isEmpty()) {
      training += " | frozen " + String.join(",", frozen);
    }
    // a pretrained module's bytes decide the run as much as the spec's text does
    if (moduleDigest == null) {
      moduleDigest = modelSpec.moduleDigest();
    }
    if (moduleDigest.isPresent()) {
      training += " | module sha256 " + moduleDigest.get();
    }
    return new RunIdentity(modelSpec.canonical(), lossSpec.canonical(), training, seed,
        train.description() + " | " + train.images() + " images, " + train.captionCount() + " captions", train.dim());
  }

  private String initDigest() {
    if (initDigest == null) {
      if (!Files.isRegularFile(init)) {
        throw new InvalidInputException(
            init + ": no checkpoint to start from (does the parent run exist and have a best epoch?)");
      }
      if (recordedInitDigest != null) {
        initDigest = recordedInitDigest;
      } else {
        try {
          initDigest = Sha256.ofFile(init);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + init, e);
        }
      }
    }
    return initDigest;
  }

  /** Pairs per batch: the configured size, or every caption of a smaller training set. */
  int batchSize() {
    return Math.min(config.batchSize(), train.captionCount());
  }

  /** Pair batches per epoch. */
  int stepsPerEpoch() {
    int per = Math.max(1, train.captionCount() / batchSize());
    return config.maxStepsPerEpoch() > 0 ? Math.min(per, config.maxStepsPerEpoch()) : per;
  }
}
