package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.DatasetSplit;
import dev.lossbench.retrieval.data.RetrievalDataset;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The training images a run uses when {@code train_subset} is below all of them (a small-data
 * regime): a shuffle of the image indices seeded by the run seed alone, its first K kept, in
 * their original order. The same seed always chooses the same images; the captions of a chosen
 * image all come along, and no caption of another image does.
 */
public final class TrainingSubset implements RetrievalDataset {
  private final RetrievalDataset base;
  private final int[] chosen;
  private final int[] first;
  private final int[] captionMap;
  private final int[] imageOfCaption;

  private TrainingSubset(RetrievalDataset base, int[] chosen) {
    this.base = base;
    this.chosen = chosen;
    this.first = new int[chosen.length + 1];
    for (int i = 0; i < chosen.length; i++) {
      first[i + 1] = first[i] + base.captionsOf(chosen[i]);
    }
    this.captionMap = new int[first[chosen.length]];
    this.imageOfCaption = new int[captionMap.length];
    for (int i = 0; i < chosen.length; i++) {
      int from = base.firstCaption(chosen[i]);
      for (int c = first[i]; c < first[i + 1]; c++) {
        captionMap[c] = from + (c - first[i]);
        imageOfCaption[c] = i;
      }
    }
  }

  /**
   * The dataset a run trains on: {@code train} itself when {@code subset} keeps every image,
   * otherwise the seeded subset.
   *
   * @param subset a fraction in (0, 1] of the images, or a count (an integer ≥ 1; 1 means all)
   * @throws InvalidInputException when a count exceeds the images there are
   */
  public static RetrievalDataset of(RetrievalDataset train, double subset, long seed) {
    int k = size(train.images(), subset, train.description());
    return k == train.images() ? train : new TrainingSubset(train, chosenImages(train.images(), k, seed));
  }

  /** How many of {@code total} images {@code subset} keeps: a fraction rounds to nearest (at least one). */
  static int size(int total, double subset, String what) {
    if (subset <= 1) {
      return Math.max(1, Math.min(total, (int) Math.round(subset * total)));
    }
    if (subset > total) {
      throw new InvalidInputException("training: train_subset=" + (long) subset + " is more than the " + total
          + " training images of " + what);
    }
    return (int) subset;
  }

  /** The indices of {@code k} of {@code total} images chosen by {@code seed}, ascending. */
  static int[] chosenImages(int total, int k, long seed) {
    int[] order = new int[total];
    for (int i = 0; i < total; i++) {
      order[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(Seeds.derive(seed, 0x5355425345544cL));
    for (int i = total - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] chosen = Arrays.copyOf(order, k);
    Arrays.sort(chosen);
    return chosen;
  }

  /** Index, in the full dataset, of this subset's image {@code i}. */
  public int originalImage(int i) {
    return chosen[i];
  }

  @Override
  public String description() {
    return base.description() + " [subset of " + chosen.length + " of " + base.images() + " images]";
  }

  @Override
  public DatasetSplit split() {
    return base.split();
  }

  @Override
  public int images() {
    return chosen.length;
  }

  @Override
  public int captionCount() {
    return captionMap.length;
  }

  @Override
  public String caption(int c) {
    return base.caption(captionMap[c]);
  }

  @Override
  public int imageOf(int c) {
    return imageOfCaption[c];
  }

  @Override
  public int firstCaption(int i) {
    return first[i];
  }

  @Override
  public int captionsPerImage() {
    return base.captionsPerImage();
  }

  @Override
  public boolean hasUniformCaptions() {
    return base.hasUniformCaptions();
  }

  @Override
  public int regions() {
    return base.regions();
  }

  @Override
  public int dim() {
    return base.dim();
  }

  @Override
  public int readImage(int i, float[] dst, int offset) {
    return base.readImage(chosen[i], dst, offset);
  }
}
