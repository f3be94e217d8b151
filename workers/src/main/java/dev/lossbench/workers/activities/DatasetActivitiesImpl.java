package dev.lossbench.workers.activities;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.SyntheticSceneImages;
import dev.lossbench.retrieval.eval.EvaluationProtocol;
import dev.lossbench.retrieval.io.ArtifactsLayout;
import dev.lossbench.retrieval.io.Sha256;
import dev.lossbench.retrieval.io.StaleTemporaries;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.workflows.activities.DatasetActivities;
import dev.lossbench.workflows.activities.PreparedDataset;
import dev.lossbench.workflows.matrix.DatasetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares datasets: synthetic scenes are generated once under {@code artifacts/datasets/ID}
 * (skipped when the same config is there); real datasets are checked by opening every split the
 * matrix needs and reading every feature once, so a missing file, a count mismatch or a NaN in the
 * features fails before any training starts. Temporary directories a killed preparation left are
 * removed first.
 */
public final class DatasetActivitiesImpl implements DatasetActivities {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetActivitiesImpl.class);
  private final MetricsStore store;
  private final ArtifactsLayout artifacts;

  public DatasetActivitiesImpl(MetricsStore store, Path artifacts) {
    this.store = store;
    this.artifacts = new ArtifactsLayout(artifacts);
  }

  @Override
  public PreparedDataset prepare(DatasetSpec spec) {
    return Failures.classify(() -> {
      Path dir;
      String hash;
      if (spec.synthetic() != null) {
        dir = artifacts.dataset(spec.id());
        removeStaleTemporaries(dir);
        spec.kind().generate(spec.synthetic(), dir);
        hash = spec.synthetic().contentHash();
      } else {
        dir = spec.directory();
        hash = fileListingHash(dir);
      }
      Map<String, Long> sizes = new LinkedHashMap<>();
      for (DatasetSplit split : splits(spec)) {
        RetrievalDataset d = DatasetOpener.open(spec, dir, split);
        // NaN in the features is a data error now, not a loss that diverges an epoch into training
        d.requireFiniteFeatures();
        sizes.put(split.name().toLowerCase(Locale.ROOT) + "_images", (long) d.images());
        sizes.put(split.name().toLowerCase(Locale.ROOT) + "_captions", (long) d.captionCount());
      }
      DatasetRecords.recordPrepared(store, spec, hash, sizes);
      return new PreparedDataset(spec.id(), dir.toString(), hash);
    });
  }

  /**
   * Removes what killed preparations left beside {@code dir} (their temporary dataset directories,
   * {@code .part} files) and in it (a rendering's {@code .part} images): whatever is older than
   * this process and untouched since it started.
   */
  private static void removeStaleTemporaries(Path dir) {
    Instant start = StaleTemporaries.processStart();
    List<Path> removed = new ArrayList<>(StaleTemporaries.removeTemporaryDirectories(dir.getParent(), start));
    removed.addAll(StaleTemporaries.removePartFiles(dir, start));
    removed.addAll(StaleTemporaries.removePartFiles(dir.resolve(SyntheticSceneImages.IMAGES_DIR), start));
    removed.forEach(p -> LOG.info("removed {}, left by an interrupted preparation", p));
  }

  /** Training, validation, and each protocol's split. */
  private static Set<DatasetSplit> splits(DatasetSpec spec) {
    Set<DatasetSplit> s = new LinkedHashSet<>();
    s.add(DatasetSplit.TRAIN);
    s.add(DatasetSplit.DEV);
    for (EvaluationProtocol p : spec.protocols()) {
      s.add(p.split());
    }
    return s;
  }

  /**
   * Real datasets can be tens of gigabytes, so their hash covers each file's name, size and
   * modification time rather than its bytes: a replaced or rewritten file changes it.
   */
  static String fileListingHash(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      Sha256 sha = new Sha256();
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        sha.add(dir.relativize(f) + "\t" + Files.size(f) + "\t" + Files.getLastModifiedTime(f).toMillis() + "\n");
      }
      return sha.hex();
    } catch (IOException e) {
      throw new InvalidInputException(dir + ": cannot list the dataset's files (" + e.getMessage() + ")", e);
    } catch (UncheckedIOException e) {
      throw new InvalidInputException(dir + ": cannot list the dataset's files (" + e.getCause().getMessage() + ")", e);
    }
  }
}
