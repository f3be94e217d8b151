package dev.lossbench.retrieval.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.retrieval.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link EngineSettings} decides from the environment alone. */
class EngineSettingsTest {
  @Test
  void offlineUnlessACudaFlavourIsToBeDownloaded() {
    assertTrue(EngineSettings.offlineByDefault(Map.of()));
    assertTrue(EngineSettings.offlineByDefault(Map.of("PYTORCH_FLAVOR", "cpu")));
    assertFalse(EngineSettings.offlineByDefault(Map.of("PYTORCH_FLAVOR", "cu128")));
    assertTrue(
        EngineSettings.offlineByDefault(Map.of("PYTORCH_FLAVOR", "cu128", "PYTORCH_LIBRARY_PATH", "/opt/torch/lib")));
    assertFalse(EngineSettings.offlineByDefault(Map.of("LOSSBENCH_OFFLINE", "false")));
    assertTrue(EngineSettings.offlineByDefault(Map.of("LOSSBENCH_OFFLINE", "true", "PYTORCH_FLAVOR", "cu128")));
    assertThrows(InvalidInputException.class,
        () -> EngineSettings.offlineByDefault(Map.of("LOSSBENCH_OFFLINE", "maybe")));
  }
}
