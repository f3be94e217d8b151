package dev.lossbench.retrieval.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * A module called with inputs of the wrong size says why in one line: the interpreter's last line (the sizes that
 * disagree). Today the message ended at "The following operation failed in the TorchScript interpreter".
 */
class TorchScriptShapeMismatchTest {
  @Test
  void moreWordsThanTheModulesPositionsNamesBothSizes() {
    // the fixture's text tower has 32 positions
    InvalidInputException e = refused(TorchScriptFixture.spec("max_words", 77));
    assertTrue(e.getMessage().contains("(77)") && e.getMessage().contains("(32)"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertFalse(e.getMessage().contains("The following operation failed"), e.getMessage());
  }

  @Test
  void anImageSizeThePatchesDoNotDivideNamesTheShape() {
    // the fixture's image tower cuts 8-pixel patches
    InvalidInputException e = refused(TorchScriptFixture.spec("image_size", 60));
    assertTrue(e.getMessage().contains("encode_image failed") && e.getMessage().contains("shape"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertFalse(e.getMessage().contains("The following operation failed"), e.getMessage());
  }

  private static InvalidInputException refused(ModelSpec spec) {
    try (NDManager m = NDManager.newBaseManager()) {
      return assertThrows(InvalidInputException.class, () -> TorchScriptDualEncoder.load(m, spec, false).close());
    }
  }
}
