package dev.lossbench.retrieval.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a loss tells the training loop and model assembly about itself, instead of being asked its type. */
class LossTrainingHintsTest {

  @Test
  void tripletHnSwitchesModeOnceWhenItsWarmupEnds() {
    RetrievalLoss warm = LossSpec.parse("triplet-hn:warmup_epochs=2").create();
    assertEquals(List.of(2), IntStream.range(0, 6).filter(warm::switchesModeAt).boxed().toList());
    // hardest negatives from the start: no switch, not even at epoch 0
    assertTrue(IntStream.range(0, 6).noneMatch(LossSpec.parse("triplet-hn").create()::switchesModeAt));
    assertTrue(IntStream.range(0, 6).noneMatch(LossSpec.parse("triplet").create()::switchesModeAt));
    assertTrue(IntStream.range(0, 6).noneMatch(LossSpec.parse("infonce").create()::switchesModeAt));
  }

  @Test
  void onlyALearnableTemperatureOrAModelsOfferedScaleIsUsed() {
    RetrievalLoss learnable = LossSpec.parse("infonce:tau=0.05,learnable=true").create();
    assertTrue(learnable.usesModelScale(false));
    assertEquals(0.05, learnable.initialTemperature());
    RetrievalLoss fixed = LossSpec.parse("infonce:tau=0.05").create();
    assertFalse(fixed.usesModelScale(true));
    assertEquals(0, fixed.initialTemperature());
    RetrievalLoss unified = LossSpec.parse("unified").create();
    assertTrue(unified.usesModelScale(true));
    assertFalse(unified.usesModelScale(false));
    // a lossbench model gets no logit scale for the unified loss
    assertEquals(0, unified.initialTemperature());
    for (String other : new String[]{"triplet", "triplet-hn", "circle"}) {
      assertFalse(LossSpec.parse(other).create().usesModelScale(true), other);
      assertEquals(0, LossSpec.parse(other).create().initialTemperature(), other);
    }
  }
}
