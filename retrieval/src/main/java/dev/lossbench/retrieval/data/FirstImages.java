package dev.lossbench.retrieval.data;

import dev.lossbench.retrieval.InvalidInputException;

/**
 * The first {@code n} images of a split, each with its first {@code k} captions: a read-only view (nothing
 * is copied). Caption {@code c} of the view is caption {@code c % k} of image {@code c / k} of the split.
 * The generalisation gap is evaluated on such views of the training and test splits, of equal size, since
 * Recall@K depends on the gallery size.
 */
public final class FirstImages implements RetrievalDataset {
  private final RetrievalDataset split;
  private final int images;
  private final int captionsPerImage;

  private FirstImages(RetrievalDataset split, int images, int captionsPerImage) {
    this.split = split;
    this.images = images;
    this.captionsPerImage = captionsPerImage;
  }

  /**
   * The first {@code images} images of {@code split}, {@code captionsPerImage} captions each.
   *
   * @throws InvalidInputException when the split has fewer images, or one of them fewer captions
   */
  public static FirstImages of(RetrievalDataset split, int images, int captionsPerImage) {
    if (images < 1 || captionsPerImage < 1) {
      throw new IllegalArgumentException("images and captions per image must be positive: " + images + ", "
          + captionsPerImage);
    }
    if (images > split.images()) {
      throw new InvalidInputException(split.description() + ": has " + split.images() + " images, not " + images);
    }
    int fewest = fewestCaptions(split, images);
    if (fewest < captionsPerImage) {
      throw new InvalidInputException(split.description() + ": an image among the first " + images + " has "
          + fewest + " caption(s), not " + captionsPerImage);
    }
    return new FirstImages(split, images, captionsPerImage);
  }

  /** The fewest captions any of the first {@code images} images of {@code split} has. */
  public static int fewestCaptions(RetrievalDataset split, int images) {
    if (split.hasUniformCaptions()) {
      return split.captionsPerImage();
    }
    int fewest = Integer.MAX_VALUE;
    for (int i = 0; i < images; i++) {
      fewest = Math.min(fewest, split.captionsOf(i));
    }
    return fewest;
  }

  @Override
  public String description() {
    return split.description() + " (first " + images + " images, " + captionsPerImage + " caption"
        + (captionsPerImage == 1 ? "" : "s") + " each)";
  }

  @Override
  public DatasetSplit split() {
    return split.split();
  }

  @Override
  public int images() {
    return images;
  }

  @Override
  public int captionCount() {
    return images * captionsPerImage;
  }

  @Override
  public String caption(int c) {
    return split.caption(splitCaption(c));
  }

  @Override
  public int imageOf(int c) {
    splitCaption(c);
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
    return split.regions();
  }

  @Override
  public int dim() {
    return split.dim();
  }

  @Override
  public int readImage(int i, float[] dst, int offset) {
    checkImage(i);
    return split.readImage(i, dst, offset);
  }

  @Override
  public RegionBatch readImages(int[] ids) {
    for (int i : ids) {
      checkImage(i);
    }
    return split.readImages(ids);
  }

  private int splitCaption(int c) {
    if (c < 0 || c >= captionCount()) {
      throw new IndexOutOfBoundsException("caption " + c + " of " + captionCount());
    }
    return split.firstCaption(c / captionsPerImage) + c % captionsPerImage;
  }

  private void checkImage(int i) {
    if (i < 0 || i >= images) {
      throw new IndexOutOfBoundsException("image " + i + " of " + images);
    }
  }
}
