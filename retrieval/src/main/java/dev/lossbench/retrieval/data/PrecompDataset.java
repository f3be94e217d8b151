package dev.lossbench.retrieval.data;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.npy.NpyArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A split of a SCAN / VSE++ / VSE∞ "precomp" directory: {@code {split}_ims.npy} (float32 or
 * float64, {@code N × R × D} region features or {@code N × D} vectors) and {@code {split}_caps.txt}
 * (one caption per line, the K captions of image i on lines {@code K·i … K·i + K − 1}).
 *
 * <p>Some releases (Kiros et al.'s original VSE features, used by VSE++ and SCAN) repeat every
 * image row K times, one row per caption; their loaders detect this with {@code im_div}. Here,
 * when the file has exactly as many rows as there are captions and K > 1, rows {@code K·i} are
 * taken as the images, after checking that the first image's K rows are identical; otherwise it
 * is a count error.
 *
 * <p>The feature file is memory-mapped ({@link NpyArray}); only the captions live in the heap.
 */
public final class PrecompDataset implements RetrievalDataset {
  /** Captions per image in Flickr30K and MSCOCO. */
  public static final int DEFAULT_CAPTIONS_PER_IMAGE = 5;

  private final Path dir;
  private final DatasetSplit split;
  private final NpyArray features;
  private final List<String> captions;
  private final int captionsPerImage;
  private final int images;
  private final int rowStride;
  private final int regions;
  private final int dim;

  private PrecompDataset(Path dir, DatasetSplit split, NpyArray features, List<String> captions,
      int captionsPerImage, int images, int rowStride) {
    this.dir = dir;
    this.split = split;
    this.features = features;
    this.captions = captions;
    this.captionsPerImage = captionsPerImage;
    this.images = images;
    this.rowStride = rowStride;
    this.regions = features.ndim() == 3 ? toInt(features, features.dim(1), "regions") : 1;
    this.dim = toInt(features, features.dim(features.ndim() - 1), "feature dimension");
  }

  /** Opens {@code split} of {@code dir} with five captions per image. */
  public static PrecompDataset open(Path dir, DatasetSplit split) {
    return open(dir, split, DEFAULT_CAPTIONS_PER_IMAGE);
  }

  /** Opens {@code split} of {@code dir} with {@code captionsPerImage} consecutive captions per image. */
  public static PrecompDataset open(Path dir, DatasetSplit split, int captionsPerImage) {
    if (captionsPerImage < 1) {
      throw new InvalidInputException("captions per image must be at least 1, got " + captionsPerImage);
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(dir + ": precomp dataset directory not found");
    }
    Path imsFile = imagesFile(dir, split);
    Path capsFile = captionsFile(dir, split);
    for (Path f : new Path[]{imsFile, capsFile}) {
      if (!Files.isRegularFile(f)) {
        throw new InvalidInputException(f + ": split file not found in " + dir + " (a precomp directory holds "
            + split + "_ims.npy and " + split + "_caps.txt for each split)");
      }
    }
    NpyArray features = NpyArray.open(imsFile).requireFloating();
    if (features.ndim() != 2 && features.ndim() != 3) {
      throw new InvalidInputException(imsFile + ": expected 2 dimensions (images × features) or 3 "
          + "(images × regions × features), got shape " + Arrays.toString(features.shape()));
    }
    if (features.dim(0) == 0 || features.rowSize() == 0) {
      throw new InvalidInputException(imsFile + ": empty feature array, shape " + Arrays.toString(features.shape()));
    }
    List<String> captions = List.copyOf(TextLines.read(capsFile, "caption file"));
    long rows = features.dim(0);
    long lines = captions.size();
    int stride;
    if (lines == captionsPerImage * rows) {
      stride = 1;
    } else if (captionsPerImage > 1 && lines == rows) {
      stride = captionsPerImage;
      if (rows % captionsPerImage != 0) {
        throw countError(capsFile, imsFile, lines, rows, captionsPerImage);
      }
      requireRepeatedRows(features, captionsPerImage, capsFile, imsFile);
    } else {
      throw countError(capsFile, imsFile, lines, rows, captionsPerImage);
    }
    int images = toInt(features, rows / stride, "images");
    return new PrecompDataset(dir, split, features, captions, captionsPerImage, images, stride);
  }

  public static Path imagesFile(Path dir, DatasetSplit split) {
    return dir.resolve(split.fileName() + "_ims.npy");
  }

  public static Path captionsFile(Path dir, DatasetSplit split) {
    return dir.resolve(split.fileName() + "_caps.txt");
  }

  /** Names of the images and captions files of {@code splits} missing from {@code dir}; empty when all are there. */
  public static List<String> missingFiles(Path dir, Set<DatasetSplit> splits) {
    List<String> missing = new ArrayList<>();
    for (DatasetSplit split : splits) {
      for (Path file : List.of(imagesFile(dir, split), captionsFile(dir, split))) {
        if (!Files.isRegularFile(file)) {
          missing.add(file.getFileName().toString());
        }
      }
    }
    return missing;
  }

  private static InvalidInputException countError(Path caps, Path ims, long lines, long rows, int k) {
    return new InvalidInputException(caps + ": has " + lines + " captions, but " + ims + " has " + rows
        + " images; expected " + k + " captions per image (" + (k * rows) + " lines)"
        + (k > 1 ? " or one image row per caption (" + rows + " lines, rows repeated " + k + "×)" : ""));
  }

  /** The repeated-rows layout is only assumed when the first image really is repeated. */
  private static void requireRepeatedRows(NpyArray features, int k, Path caps, Path ims) {
    int row = toInt(features, features.rowSize(), "row size");
    float[] first = new float[row];
    float[] other = new float[row];
    features.readFloats(0, first, 0, row);
    for (int r = 1; r < k; r++) {
      features.readFloats((long) r * row, other, 0, row);
      if (!Arrays.equals(first, other)) {
        throw new InvalidInputException(caps + ": has " + features.dim(0) + " captions, as many as "
            + ims + " has rows, but rows 0 and " + r + " differ, so the rows are not one image repeated " + k
            + "× per caption; if each image has one caption, open the split with 1 caption per image");
      }
    }
  }

  private static int toInt(NpyArray a, long n, String what) {
    if (n > Integer.MAX_VALUE) {
      throw new InvalidInputException(a.path() + ": " + what + " " + n + " exceeds " + Integer.MAX_VALUE);
    }
    return (int) n;
  }

  public Path directory() {
    return dir;
  }

  @Override
  public String description() {
    return "precomp " + dir + " (" + split + ")";
  }

  @Override
  public DatasetSplit split() {
    return split;
  }

  @Override
  public int images() {
    return images;
  }

  @Override
  public int captionCount() {
    return captions.size();
  }

  @Override
  public String caption(int c) {
    return captions.get(c);
  }

  @Override
  public int imageOf(int c) {
    if (c < 0 || c >= captions.size()) {
      throw new IndexOutOfBoundsException("caption " + c + " of " + captions.size());
    }
    return c / captionsPerImage;
  }

  @Override
  public int firstCaption(int i) {
    if (i < 0 || i > images) {
      throw new IndexOutOfBoundsException("image " + i + " of " + images);
    }
    return i * captionsPerImage;
  }

  @Override
  public int captionsPerImage() {
    return captionsPerImage;
  }

  @Override
  public boolean hasUniformCaptions() {
    return true;
  }

  @Override
  public int regions() {
    return regions;
  }

  @Override
  public int dim() {
    return dim;
  }

  /** True when the file repeats each image row once per caption (the {@code im_div} layout). */
  public boolean repeatedImageRows() {
    return rowStride > 1;
  }

  /** Scans the whole feature file, in blocks of rows; the message names the file and the row (0-based, as numpy's). */
  @Override
  public void requireFiniteFeatures() {
    long rowSize = features.rowSize();
    long rows = features.dim(0);
    int blockRows = (int) Math.max(1, Math.min(rows, (1 << 20) / Math.max(1, rowSize)));
    float[] block = new float[Math.toIntExact(blockRows * rowSize)];
    for (long r0 = 0; r0 < rows; r0 += blockRows) {
      int n = (int) Math.min(blockRows, rows - r0);
      int count = Math.toIntExact(n * rowSize);
      features.readFloats(r0 * rowSize, block, 0, count);
      for (int j = 0; j < count; j++) {
        if (!Float.isFinite(block[j])) {
          long row = r0 + j / rowSize;
          long within = j % rowSize;
          throw new InvalidInputException(features.path() + ": row " + row + " (image " + row / rowStride + " of the "
              + split + " split) has a non-finite feature, " + block[j] + " at "
              + (regions > 1 ? "region " + within / dim + ", " : "") + "dimension " + within % dim
              + "; fix or drop the row (and its captions)");
        }
      }
    }
  }

  @Override
  public int readImage(int i, float[] dst, int offset) {
    if (i < 0 || i >= images) {
      throw new IndexOutOfBoundsException("image " + i + " of " + images);
    }
    long rowSize = (long) regions * dim;
    features.readFloats((long) i * rowStride * rowSize, dst, offset, regions * dim);
    return regions;
  }
}
