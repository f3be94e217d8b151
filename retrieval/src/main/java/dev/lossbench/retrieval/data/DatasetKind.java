package dev.lossbench.retrieval.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a dataset comes from, and its format: which matrix keys it takes, the files its directory
 * must hold, how a split of it opens, what decides its prepared data (its identity) and, for the
 * generated kinds, how it is generated. The file layouts are those of {@code dev.lossbench.retrieval.data};
 * a new format is a constant here plus its loader. The test protocols each kind takes are decided where
 * protocols are, in the evaluation package ({@code EvaluationProtocol.forKind}): data does not depend on it.
 */
public enum DatasetKind {
  /** Generated scenes ({@code SyntheticScenes}) in the precomp layout; knobs under {@code params}. */
  SYNTHETIC("synthetic", List.of("params")) {
    @Override
    public String identity(String path, SyntheticConfig synthetic, int captionsPerImage, int maxFrames) {
      return "synthetic content_hash=" + synthetic.contentHash();
    }

    @Override
    public void generate(SyntheticConfig config, Path dir) {
      new SyntheticScenes(config).generate(dir);
    }

    @Override
    public RetrievalDataset open(Path dir, DatasetSplit split, int captionsPerImage, int maxFrames,
        ImagePreprocessing preprocessing) {
      return PrecompDataset.open(dir, split, captionsPerImage);
    }
  },
  /** A SCAN/VSE precomp directory (Flickr30K, MSCOCO). */
  PRECOMP("precomp", List.of("path", "captions_per_image")) {
    @Override
    public String identity(String path, SyntheticConfig synthetic, int captionsPerImage, int maxFrames) {
      return "precomp path=" + path + " captions_per_image=" + captionsPerImage;
    }

    @Override
    public List<String> missingFiles(Path dir, Set<DatasetSplit> splits) {
      return PrecompDataset.missingFiles(dir, splits);
    }

    @Override
    public String expectedFiles(Set<DatasetSplit> splits) {
      return "the precomp files {split}_ims.npy and {split}_caps.txt for splits "
          + String.join(", ", splits.stream().map(DatasetSplit::fileName).toList());
    }

    @Override
    public RetrievalDataset open(Path dir, DatasetSplit split, int captionsPerImage, int maxFrames,
        ImagePreprocessing preprocessing) {
      return PrecompDataset.open(dir, split, captionsPerImage);
    }
  },
  /** An MSR-VTT directory: CLIP4Clip split files and frame features. */
  MSRVTT("msrvtt", List.of("path", "max_frames")) {
    @Override
    public String identity(String path, SyntheticConfig synthetic, int captionsPerImage, int maxFrames) {
      return "msrvtt path=" + path + " max_frames=" + maxFrames;
    }

    @Override
    public List<String> missingFiles(Path dir, Set<DatasetSplit> splits) {
      return MsrvttFiles.standard(dir).missing();
    }

    @Override
    public String expectedFiles(Set<DatasetSplit> splits) {
      return "MSRVTT_train.9k.csv, MSRVTT_JSFUSION_test.csv, MSRVTT_data.json and frame features"
          + " (frame_features.npy with video_ids.txt, or a frame_features/ directory)";
    }

    /** Without {@code MSRVTT_val.csv} it validates on the 1k-A test pairs (as CLIP4Clip does). */
    @Override
    public String validationIsTest(Path dir) {
      MsrvttFiles f = MsrvttFiles.standard(dir);
      return f.validatesOnTest()
          ? f.valCsv() + " not found: the dev split is the 1k-A test split, so the best epoch and"
              + " anything chosen on validation are chosen on test data"
          : null;
    }

    @Override
    public RetrievalDataset open(Path dir, DatasetSplit split, int captionsPerImage, int maxFrames,
        ImagePreprocessing preprocessing) {
      return MsrvttDataset.open(MsrvttFiles.standard(dir), split, maxFrames);
    }
  },
  /** Raw images with a Karpathy-split captions file (dataset_flickr30k.json, dataset_coco.json). */
  KARPATHY("karpathy", List.of("path", "captions_per_image")) {
    @Override
    public String identity(String path, SyntheticConfig synthetic, int captionsPerImage, int maxFrames) {
      return "karpathy path=" + path + " captions_per_image=" + captionsPerImage;
    }

    @Override
    public List<String> missingFiles(Path dir, Set<DatasetSplit> splits) {
      return KarpathyDataset.missingFiles(dir);
    }

    @Override
    public String expectedFiles(Set<DatasetSplit> splits) {
      return "one Karpathy-split captions file dataset_*.json (dataset_flickr30k.json, dataset_coco.json) "
          + "and its images, in images/ or beside it";
    }

    @Override
    public RetrievalDataset open(Path dir, DatasetSplit split, int captionsPerImage, int maxFrames,
        ImagePreprocessing preprocessing) {
      return KarpathyDataset.openDirectory(dir, split, captionsPerImage, preprocessing);
    }
  },
  /** The synthetic scenes rendered as 64×64 PNGs in the Karpathy layout; knobs under {@code params}. */
  SYNTHETIC_IMAGES("synthetic-images", List.of("params")) {
    @Override
    public String identity(String path, SyntheticConfig synthetic, int captionsPerImage, int maxFrames) {
      return "synthetic-images content_hash=" + synthetic.contentHash() + " size=" + SyntheticSceneImages.SIZE;
    }

    @Override
    public void generate(SyntheticConfig config, Path dir) {
      if (!SyntheticSceneImages.isRendered(config, dir)) {
        SyntheticSceneImages.render(config, dir, SyntheticSceneImages.SIZE);
      }
    }

    @Override
    public RetrievalDataset open(Path dir, DatasetSplit split, int captionsPerImage, int maxFrames,
        ImagePreprocessing preprocessing) {
      return KarpathyDataset.openDirectory(dir, split, captionsPerImage, preprocessing);
    }
  };

  private final String id;
  private final List<String> parameters;

  DatasetKind(String id, List<String> ownKeys) {
    this.id = id;
    this.parameters = ownKeys;
  }

  public String id() {
    return id;
  }

  /** Whether the data is generated from knobs (no path). */
  public boolean isSynthetic() {
    return this == SYNTHETIC || this == SYNTHETIC_IMAGES;
  }

  /** Whether the data is raw images, read with a pixel model's preprocessing. */
  public boolean isRawImages() {
    return this == KARPATHY || this == SYNTHETIC_IMAGES;
  }

  /** The parameters a dataset of this kind is described by (a matrix's keys besides the common ones). */
  public List<String> parameters() {
    return parameters;
  }

  /** Whether a dataset of this kind is described by {@code parameter} (one of {@link #parameters()}). */
  public boolean takes(String parameter) {
    return parameters.contains(parameter);
  }

  /**
   * Everything that decides the prepared data, as text, from what a dataset of this kind is
   * described by: the generator's content hash for synthetic data ({@code path} null); the directory
   * and how it is read for real data ({@code synthetic} null). Runs' and datasets' ids hash it.
   */
  public abstract String identity(String path, SyntheticConfig synthetic, int captionsPerImage, int maxFrames);

  /**
   * Names of required files missing from {@code dir} for these splits; empty when everything is
   * there (and for generated data). Only presence is checked; contents are checked when a split opens.
   */
  public List<String> missingFiles(Path dir, Set<DatasetSplit> splits) {
    return List.of();
  }

  /** What a directory of this kind is expected to hold, for the message that lists missing files ("" for generated data). */
  public String expectedFiles(Set<DatasetSplit> splits) {
    return "";
  }

  /** Why the validation split of the data in {@code dir} is its test split, or null when it is not. */
  public String validationIsTest(Path dir) {
    return null;
  }

  /**
   * Generates the data from {@code config} into {@code dir}, unless it is there already.
   *
   * @throws IllegalStateException for real data, which is read where it is
   */
  public void generate(SyntheticConfig config, Path dir) {
    throw new IllegalStateException(id + " data is read where it is, not generated");
  }

  /**
   * Opens {@code split} of the data in {@code dir} with this kind's loader. Raw images are read with
   * {@code preprocessing}; other kinds ignore it (and {@code maxFrames} or {@code captionsPerImage}
   * where they do not take it).
   */
  public abstract RetrievalDataset open(Path dir, DatasetSplit split, int captionsPerImage, int maxFrames,
      ImagePreprocessing preprocessing);

  public static Optional<DatasetKind> of(String id) {
    return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
  }

  public static String known() {
    return Arrays.stream(values()).map(DatasetKind::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
