package dev.lossbench.retrieval.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * What the training loop and evaluation need of a dual encoder, whether lossbench's own
 * ({@link DualEncoder}, parameters in a {@link ParameterSet}) or a pretrained module exported from
 * PyTorch ({@link TorchScriptDualEncoder}, parameters inside the module): named trainable arrays
 * that can be saved and restored, an optional learnable logit scale, and two encoders.
 *
 * <p>The image side reads a {@link RegionBatch}: region or frame features for lossbench's models,
 * one preprocessed {@code 3 × H × W} pixel vector per image for pixel models.
 */
public interface RetrievalModel extends AutoCloseable {
  /** Every parameter by name (live arrays, gradients attached), in a stable order. */
  Map<String, NDArray> parameterArrays();

  /** A copy of every parameter's values by name. */
  Map<String, float[]> parameterValues();

  /** Replaces every parameter's values; names and sizes must match ({@code source} names the file in errors). */
  void loadParameters(Map<String, float[]> values, String source);

  /** The trainable log logit scale the loss should use, or null for the loss's own fixed temperature. */
  NDArray logitScale();

  /** The spec's frozen parameters and learning-rate groups; every parameter at the scheduled rate by default. */
  default ParameterGroups parameterGroups() {
    return ParameterGroups.UNIFORM;
  }

  /**
   * Told which parameters a run freezes: a model whose backward can then skip them stops their
   * gradients. Nothing by default (the optimiser skips frozen parameters either way).
   */
  default void freeze(Predicate<String> frozen) {}

  /** Checks that the model accepts every id {@code tokenizer} can produce; a word vocabulary sizes the model, so nothing by default. */
  default void checkTokenizer(CaptionTokenizer tokenizer) {}

  /** Size of the (L2-normalised) embeddings. */
  int embedDim();

  /** Training-time augmentation of a batch, a function of {@code rnd} alone; the batch itself by default. */
  default RegionBatch augment(RegionBatch batch, SplittableRandom rnd) {
    return batch;
  }

  /**
   * Called before each training step's forward pass with a seed derived from (run seed, epoch,
   * step): models whose randomness lives in the engine (dropout in a TorchScript module) seed it
   * here, so a resumed run draws the same masks. Nothing by default.
   */
  default void beginStep(long stepSeed) {}

  /** B × embedDim L2-normalised image embeddings, arrays created in {@code scope}. */
  NDArray encodeImages(NDManager scope, RegionBatch batch, boolean training);

  /** B × embedDim L2-normalised caption embeddings. */
  NDArray encodeTexts(NDManager scope, TokenBatch tokens, boolean training);

  /**
   * Both sides of a training batch, {@code [images, captions]}; by default the two encoders in
   * that order. A TorchScript module runs its {@code forward} here, the one method DJL runs with
   * gradients recorded.
   */
  default NDArray[] encodePairs(NDManager scope, RegionBatch images, TokenBatch tokens, boolean training) {
    NDArray img = encodeImages(scope, images, training);
    NDArray txt = encodeTexts(scope, tokens, training);
    return new NDArray[]{img, txt};
  }

  /**
   * Writes the model with its current parameters in the format it came in (a TorchScript module)
   * to {@code file}, for use outside lossbench; false, writing nothing, for models that have no such
   * format (lossbench's own checkpoints hold them).
   */
  default boolean export(Path file) {
    return export(file, () -> {});
  }

  /** {@link #export(Path)}, running {@code progress} now and then while a long write goes on (heartbeats). */
  default boolean export(Path file, Runnable progress) {
    return false;
  }

  @Override
  void close();
}
