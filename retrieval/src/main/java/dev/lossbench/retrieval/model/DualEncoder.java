package dev.lossbench.retrieval.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An image (or video) encoder and a caption encoder mapping into one space of L2-normalised
 * embeddings, so that {@code images · captionsᵀ} are cosine similarities. Optionally owns a
 * learnable log logit scale for a learnable-temperature InfoNCE.
 */
public final class DualEncoder implements RetrievalModel {
  public static final String LOGIT_SCALE = "logit_scale";

  private final ModelSpec spec;
  private final ParameterSet parameters;
  private final ImageEncoder image;
  private final TextEncoder text;
  private final int inputDim;
  private final int vocabSize;

  /**
   * @param inputDim feature dimension D of the dataset
   * @param vocabSize number of caption token ids
   * @param initialTau when positive, adds a trainable {@link #LOGIT_SCALE} initialised to log(1/τ)
   * @param seed initial weights are a function of this seed alone
   */
  public DualEncoder(NDManager parent, ModelSpec spec, int inputDim, int vocabSize, double initialTau, long seed) {
    this.spec = spec;
    this.inputDim = inputDim;
    this.vocabSize = vocabSize;
    this.parameters = new ParameterSet(parent);
    SplittableRandom rnd = new SplittableRandom(seed);
    int embed = spec.integer("embed_dim");
    this.image = new ImageEncoder(parameters, spec, inputDim, rnd.split());
    this.text = new TextEncoder(parameters, vocabSize, spec.integer("word_dim"), embed, rnd.split());
    if (initialTau > 0) {
      parameters.constant(LOGIT_SCALE, new Shape(), (float) Math.log(1 / initialTau));
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  public ParameterSet parameters() {
    return parameters;
  }

  public int inputDim() {
    return inputDim;
  }

  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public Map<String, NDArray> parameterArrays() {
    return parameters.arrays();
  }

  @Override
  public Map<String, float[]> parameterValues() {
    return parameters.snapshot();
  }

  @Override
  public void loadParameters(Map<String, float[]> values, String source) {
    parameters.load(values, source);
  }

  @Override
  public int embedDim() {
    return spec.integer("embed_dim");
  }

  @Override
  public RegionBatch augment(RegionBatch batch, SplittableRandom rnd) {
    return dropRegions(batch, rnd);
  }

  /** The learnable log logit scale, or null when the model has none. */
  @Override
  public NDArray logitScale() {
    return parameters.arrays().get(LOGIT_SCALE);
  }

  /** B × embed_dim image embeddings, arrays created in {@code scope}. */
  @Override
  public NDArray encodeImages(NDManager scope, RegionBatch batch, boolean training) {
    NDArray x = scope.create(batch.features(), new Shape(batch.size(), batch.regions(), batch.dim()));
    return image.encode(parameters, scope, x, batch.validRegions(), training);
  }

  /** B × embed_dim caption embeddings. */
  @Override
  public NDArray encodeTexts(NDManager scope, TokenBatch tokens, boolean training) {
    return text.encode(parameters, scope, tokens, training);
  }

  /**
   * VSE∞'s size augmentation: each real region is dropped with probability {@code region_drop}
   * (at least one kept) and the kept ones are moved to the front. A function of {@code rnd} alone,
   * so a resumed run drops the same regions. Models without regions get the batch unchanged.
   */
  public RegionBatch dropRegions(RegionBatch batch, SplittableRandom rnd) {
    if (!spec.usesRegions() || spec.number("region_drop") == 0 || batch.regions() == 1) {
      return batch;
    }
    double p = spec.number("region_drop");
    int r = batch.regions();
    int d = batch.dim();
    float[] out = new float[batch.features().length];
    int[] valid = new int[batch.size()];
    for (int b = 0; b < batch.size(); b++) {
      int base = batch.offset(b);
      int kept = 0;
      int v = batch.validRegions()[b];
      for (int k = 0; k < v; k++) {
        boolean last = kept == 0 && k == v - 1;
        if (last || rnd.nextDouble() >= p) {
          System.arraycopy(batch.features(), base + k * d, out, base + kept * d, d);
          kept++;
        }
      }
      valid[b] = kept;
    }
    return new RegionBatch(batch.size(), r, d, out, valid);
  }

  @Override
  public void close() {
    parameters.close();
  }
}
