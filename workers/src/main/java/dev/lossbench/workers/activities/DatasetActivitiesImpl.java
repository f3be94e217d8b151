package dev.lossbench.workers.activities;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.RetrievalDataset;
import dev.lossbench.retrieval.data.SyntheticScenes;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.workflows.activities.DatasetActivities;
import dev.lossbench.workflows.activities.PreparedDataset;
import dev.lossbench.workflows.matrix.DatasetSpec;
import dev.lossbench.retrieval.eval.EvaluationProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Prepares datasets: synthetic scenes are generated once under {@code artifacts/datasets/ID}
 * (skipped when the same config is there); real datasets are checked by opening every split the
 * matrix needs, so a missing file or a count mismatch fails before any training starts.
 */
public final class DatasetActivitiesImpl implements DatasetActivities {
  private final MetricsStore store;
  private final Path artifacts;

  public DatasetActivitiesImpl(MetricsStore store, Path artifacts) {
    this.store = store;
    this.artifacts = artifacts;
  }

  @Override
  public PreparedDataset prepare(DatasetSpec spec) {
    return Failures.classify(() -> {
      Path dir;
      String hash;
      if (spec.synthetic() != null) {
        dir = artifacts.resolve("datasets").resolve(spec.id());
        if (spec.kind() == dev.lossbench.retrieval.data.DatasetKind.SYNTHETIC_IMAGES) {
          if (!dev.lossbench.retrieval.data.SyntheticSceneImages.isRendered(spec.synthetic(), dir)) {
            dev.lossbench.retrieval.data.SyntheticSceneImages.render(spec.synthetic(), dir,
                dev.lossbench.retrieval.data.SyntheticSceneImages.SIZE);
          }
        } else {
          SyntheticScenes scenes = new SyntheticScenes(spec.synthetic());
          scenes.generate(dir);
        }
        hash = spec.synthetic().contentHash();
      } else {
        dir = spec.directory();
        hash = fileListingHash(dir);
      }
      Map<String, Long> sizes = new LinkedHashMap<>();
      for (DatasetSplit split : splits(spec)) {
        RetrievalDataset d = DatasetOpener.open(spec, dir, split);
        sizes.put(split.name().toLowerCase(java.util.Locale.ROOT) + "_images", (long) d.images());
        sizes.put(split.name().toLowerCase(java.util.Locale.ROOT) + "_captions", (long) d.captionCount());
      }
      store.datasets().register(DatasetRecords.definition(spec));
      store.datasets().recordPrepared(spec.id(), hash, sizes);
      return new PreparedDataset(spec.id(), dir.toString(), hash);
    });
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
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String line = dir.relativize(f) + "\t" + Files.size(f) + "\t" + Files.getLastModifiedTime(f).toMillis() + "\n";
        md.update(line.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new InvalidInputException(dir + ": cannot list the dataset's files (" + e.getMessage() + ")", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (UncheckedIOException e) {
      throw new InvalidInputException(dir + ": cannot list the dataset's files (" + e.getCause().getMessage() + ")", e);
    }
  }
}
