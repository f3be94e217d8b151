package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.engine.EngineSettings;
import org.junit.jupiter.api.Test;

/** Device and thread settings: good values parsed, bad ones one line on stderr and exit 2. */
class EngineOptionsTest {
  @Test
  void devicesParse() {
    assertEquals(Device.cpu(), EngineSettings.parse("cpu", "--device"));
    assertEquals(Device.gpu(0), EngineSettings.parse("cuda", "--device"));
    assertEquals(Device.gpu(3), EngineSettings.parse("CUDA:3", "--device"));
    assertEquals("cuda:3", EngineSettings.name(Device.gpu(3)));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> EngineSettings.parse("gpu0", "--device"));
    assertEquals("--device: 'gpu0' is not a device (expected cpu, cuda or cuda:N)", e.getMessage());
    assertArrayEquals(new int[]{0, 1}, EngineOptions.gpus("0, 1"));
    assertThrows(InvalidInputException.class, () -> EngineOptions.gpus("0,x"));
  }

  private static void oneLineExit2(CommandRun r, String expected) {
    assertEquals(LossbenchCommand.EXIT_BAD_INPUT, r.exitCode(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(expected), r.err());
  }

  /** Today resume had no --threads: picocli refused it as an unknown option. */
  @Test
  void resumeTakesTheThreadAndDeviceOptions() {
    oneLineExit2(CommandRun.of("resume", "--threads", "0", "no-such-benchmark"), "--threads: 0 is not a thread count");
    oneLineExit2(CommandRun.of("resume", "--device", "tpu", "no-such-benchmark"), "'tpu' is not a device");
    assertNull(System.getProperty(EngineSettings.DEVICE_PROPERTY));
  }

  @Test
  void badDeviceOrThreadsAreOneLineAndExit2() {
    oneLineExit2(CommandRun.of("bench", "--device", "tpu", "--quick"), "'tpu' is not a device");
    oneLineExit2(CommandRun.of("bench", "--threads", "0", "--quick"), "--threads: 0 is not a thread count");
    oneLineExit2(CommandRun.of("run", "--device", "cuda:x", "matrices/quick.yaml"), "'cuda:x' is not a device");
    if (Engine.getInstance().getGpuCount() == 0) {
      oneLineExit2(CommandRun.of("bench", "--device", "cuda", "--quick"), "has no CUDA");
      oneLineExit2(CommandRun.of("worker", "--gpus", "0"), "has no CUDA");
    }
    // a refused device is not left behind for the rest of the process
    assertNull(System.getProperty(EngineSettings.DEVICE_PROPERTY));
  }

  @Test
  void threadsDefaultToTheAvailableCpus() {
    String before = System.getProperty(EngineSettings.THREADS_PROPERTY);
    try {
      System.clearProperty(EngineSettings.THREADS_PROPERTY);
      assertEquals(Runtime.getRuntime().availableProcessors(), EngineSettings.applyThreads(null));
      assertEquals(3, EngineSettings.applyThreads(3));
      assertEquals("3", System.getProperty(EngineSettings.THREADS_PROPERTY));
    } finally {
      if (before == null) {
        System.clearProperty(EngineSettings.THREADS_PROPERTY);
      } else {
        System.setProperty(EngineSettings.THREADS_PROPERTY, before);
      }
    }
  }
}
