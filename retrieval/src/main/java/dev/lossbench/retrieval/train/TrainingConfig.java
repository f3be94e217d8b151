package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.params.Param;
import dev.lossbench.retrieval.params.Params;
import dev.lossbench.retrieval.params.SpecException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Training settings, with the field's defaults (VSE∞: AdamW 5e-4, ×0.1 at epoch 15, global-norm
 * clipping at 2). Built from a map (a matrix's {@code training:} section) with every key checked.
 */
public final class TrainingConfig {
  public static final List<Param> PARAMS = List.of(
      Param.integer("epochs", 25, 1, "training epochs"),
      Param.integer("batch_size", 128, 2, "pairs per batch (in-batch negatives)"),
      Param.number("lr", 5e-4, 0, true, "peak learning rate"),
      Param.choice("schedule", "step", List.of("step", "cosine", "constant"),
          "step: ×lr_decay at lr_decay_epoch (VSE∞); cosine: linear warm-up then cosine decay (CLIP4Clip)"),
      Param.integer("lr_decay_epoch", 15, 0, "step schedule: epoch at which the rate is multiplied by lr_decay"),
      Param.number("lr_decay", 0.1, 0, true, 1, "step schedule: the factor"),
      Param.number("warmup", 0.1, 0, false, 1, "cosine schedule: share of all steps spent warming up linearly"),
      Param.number("weight_decay", 0.0, 0, false, "AdamW's decoupled weight decay"),
      Param.number("grad_clip", 2.0, 0, false, "global gradient-norm clip (0: none)"),
      Param.bool("reset_optimizer_on_loss_switch", false,
          "zero AdamW's moments when triplet-hn's warm-up ends (its gradient scale drops sharply there)"),
      Param.integer("checkpoint_every_steps", 0, 0,
          "also checkpoint every N steps inside an epoch (0: epoch ends only)"),
      Param.integer("max_steps_per_epoch", 0, 0, "cut each epoch after N steps (0: all pairs); for quick matrices"),
      Param.number("train_subset", 1.0, 0, true,
          "training images used: a fraction in (0, 1] or a count (an integer > 1), chosen by the run seed (1: all)"),
      Param.choice("checkpoints", CheckpointRetention.BEST.word(), CheckpointRetention.words(),
          "what a succeeded run keeps: best (the best weights and module), best+last (also the last checkpoint and "
              + "module), all (also the previous checkpoint and the best's optimizer state)"));

  /** Keys added after runs were recorded: left out of {@link #canonical()} at their default so older identities hold. */
  private static final Map<String, Object> OMITTED_AT_DEFAULT = Map.of("train_subset", 1.0,
      "checkpoints", CheckpointRetention.BEST.word());

  /** Keys the store's run rows did not record before: left out of {@link #recordedValues()} at their default. */
  private static final Map<String, Object> RECORDED_OMITTED_AT_DEFAULT = Map.of("checkpoints",
      CheckpointRetention.BEST.word());

  private final SortedMap<String, Object> values;

  private TrainingConfig(SortedMap<String, Object> values) {
    this.values = Collections.unmodifiableSortedMap(values);
  }

  public static TrainingConfig defaults() {
    return fromMap(Map.of());
  }

  public static TrainingConfig fromMap(Map<String, ?> raw) {
    SortedMap<String, Object> values = Params.resolve("training", PARAMS, raw, SpecException::new);
    double subset = ((Number) values.get("train_subset")).doubleValue();
    if (subset > 1 && subset != Math.rint(subset)) {
      throw new SpecException("training: train_subset=" + Param.format(subset)
          + " is not allowed: expected a fraction in (0, 1] or a whole number of images");
    }
    return new TrainingConfig(values);
  }

  /** A copy with some keys changed (checked like any other value). */
  public TrainingConfig with(Map<String, ?> changes) {
    Map<String, Object> all = new TreeMap<>(values);
    all.putAll(changes);
    return fromMap(all);
  }

  public SortedMap<String, Object> values() {
    return values;
  }

  /**
   * The settings as a run's row records them: {@link #values()} without the keys added after the store began
   * recording (checkpoints) where they are at their default, so that the same cell registered by an older release
   * has the same recorded definition and is linked, not refused as a different cell under the same id.
   */
  public SortedMap<String, Object> recordedValues() {
    SortedMap<String, Object> recorded = new TreeMap<>(values);
    RECORDED_OMITTED_AT_DEFAULT.forEach((k, def) -> {
      if (def.equals(recorded.get(k))) {
        recorded.remove(k);
      }
    });
    return Collections.unmodifiableSortedMap(recorded);
  }

  public int epochs() {
    return integer("epochs");
  }

  public int batchSize() {
    return integer("batch_size");
  }

  public double lr() {
    return number("lr");
  }

  public String schedule() {
    return (String) values.get("schedule");
  }

  public int lrDecayEpoch() {
    return integer("lr_decay_epoch");
  }

  public double lrDecay() {
    return number("lr_decay");
  }

  public double warmup() {
    return number("warmup");
  }

  public double weightDecay() {
    return number("weight_decay");
  }

  public double gradClip() {
    return number("grad_clip");
  }

  public boolean resetOptimizerOnLossSwitch() {
    return (Boolean) values.get("reset_optimizer_on_loss_switch");
  }

  public int checkpointEverySteps() {
    return integer("checkpoint_every_steps");
  }

  public int maxStepsPerEpoch() {
    return integer("max_steps_per_epoch");
  }

  /** Training images used: a fraction in (0, 1] or a count above 1 (see {@link TrainingSubset}). */
  public double trainSubset() {
    return number("train_subset");
  }

  /** What a run keeps on disk (the matrix's {@code checkpoints}). */
  public CheckpointRetention checkpoints() {
    return CheckpointRetention.of((String) values.get("checkpoints"));
  }

  private int integer(String key) {
    return ((Number) values.get(key)).intValue();
  }

  private double number(String key) {
    return ((Number) values.get(key)).doubleValue();
  }

  /**
   * Every setting, sorted: part of a run's identity. Keys added later (train_subset, checkpoints) appear only
   * when they differ from their default, so cells and checkpoints recorded before keep their ids.
   */
  public String canonical() {
    SortedMap<String, Object> shown = new TreeMap<>(values);
    OMITTED_AT_DEFAULT.forEach((k, def) -> {
      if (def.equals(shown.get(k))) {
        shown.remove(k);
      }
    });
    return Params.canonical(shown);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingConfig other && other.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return canonical();
  }
}
