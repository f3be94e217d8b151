package dev.lossbench.retrieval.data;

import dev.lossbench.retrieval.InvalidInputException;

/**
 * One split of an image–text (or video–text) retrieval dataset: items with region (or frame)
 * features and captions, each caption describing exactly one item.
 *
 * <p>Captions are numbered so that those of one item are consecutive: the captions of item
 * {@code i} are {@code [firstCaption(i), firstCaption(i + 1))}. Training pairs an item with one of
 * its captions; evaluation ranks all captions, with {@link #imageOf(int)} as the ground truth.
 *
 * <p>Implementations are immutable and safe to read from several threads. Features stay on disk
 * (memory-mapped) and are copied only into the arrays callers pass.
 */
public interface RetrievalDataset {
  /** Where it came from, for messages and logs, e.g. {@code precomp /data/f30k_precomp (test)}. */
  String description();

  DatasetSplit split();

  /** Number of images (videos). */
  int images();

  /** Number of captions, at least one per image. */
  int captionCount();

  /** Text of caption {@code c}, as stored (tokenise it with a {@link Tokenizer}). */
  String caption(int c);

  /** The image caption {@code c} describes. */
  int imageOf(int c);

  /** Index of image {@code i}'s first caption; {@code firstCaption(images())} is {@link #captionCount()}. */
  int firstCaption(int i);

  /** Number of captions of image {@code i}. */
  default int captionsOf(int i) {
    return firstCaption(i + 1) - firstCaption(i);
  }

  /**
   * K when every image has exactly K captions (so {@code imageOf(c) == c / K}), as the
   * five-captions-per-image evaluation protocol assumes.
   *
   * @throws IllegalStateException when the counts vary (possible for MSR-VTT training sentences
   *     of a custom captions file); check {@link #hasUniformCaptions()} first
   */
  int captionsPerImage();

  /** Whether every image has the same number of captions. */
  boolean hasUniformCaptions();

  /** Region slots per image (R for precomp N × R × D, 1 for N × D, the frame budget for videos). */
  int regions();

  /** Feature dimension D. */
  int dim();

  /**
   * Copies image {@code i}'s features ({@code regions() × dim()} floats, row-major) into
   * {@code dst} at {@code offset}, zero-filling padded slots, and returns the number of leading
   * slots that hold real regions.
   */
  int readImage(int i, float[] dst, int offset);

  /** Reads several images into one batch. */
  default RegionBatch readImages(int[] images) {
    int per = regions() * dim();
    float[] features = new float[Math.multiplyExact(images.length, per)];
    int[] valid = new int[images.length];
    for (int b = 0; b < images.length; b++) {
      valid[b] = readImage(images[b], features, b * per);
    }
    return new RegionBatch(images.length, regions(), dim(), features, valid);
  }

  /**
   * Checks that every feature value is finite: a NaN or infinity in the input is a data error
   * (naming the file and row), not a loss that diverges an epoch later. Reads the features once,
   * sequentially (memory-mapped files stay out of the heap).
   *
   * @throws dev.lossbench.retrieval.InvalidInputException naming the first non-finite value
   */
  default void requireFiniteFeatures() {
    int per = regions() * dim();
    float[] row = new float[per];
    for (int i = 0; i < images(); i++) {
      readImage(i, row, 0);
      for (int j = 0; j < per; j++) {
        if (!Float.isFinite(row[j])) {
          throw new InvalidInputException(description() + ": image " + i + " has a non-finite"
              + " feature (" + row[j] + " at region " + j / dim() + ", dimension " + j % dim() + "); fix or drop it");
        }
      }
    }
  }
}
