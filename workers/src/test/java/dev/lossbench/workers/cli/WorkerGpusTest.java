package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code worker --gpus 0,1}: the child workers' command lines, and bad lists refused in one line with exit 2. */
class WorkerGpusTest {
  private static final List<String> LAUNCHER = List.of("/usr/bin/java", "-Xmx4g", "-cp", "lib/*",
      LossbenchCommand.class.getName());

  @Test
  void oneChildPerGpuServingTheGpuQueueOnItsDeviceWithTheOtherOptions() {
    List<String> args = List.of("--gpus", "0,1", "--temporal", "temporal:7233", "--queues", "gpu,cpu", "--threads", "8",
        "--artifacts", "/data/artifacts", "--offline=false");
    int[] gpus = EngineOptions.gpus("0,1");
    List<List<String>> children = java.util.Arrays.stream(gpus)
        .mapToObj(g -> WorkerCommand.childCommand(LAUNCHER, args, g)).toList();
    List<String> common = List.of("/usr/bin/java", "-Xmx4g", "-cp", "lib/*", LossbenchCommand.class.getName(), "worker",
        "--temporal", "temporal:7233", "--threads", "8", "--artifacts", "/data/artifacts", "--offline=false",
        "--queues", "gpu", "--device");
    assertEquals(List.of(concat(common, "cuda:0"), concat(common, "cuda:1")), children);
  }

  @Test
  void theJoinedSpellingsAreDroppedToo() {
    assertEquals(List.of("java", "worker", "--namespace", "ns", "--queues", "gpu", "--device", "cuda:3"),
        WorkerCommand.childCommand(List.of("java"), List.of("--gpus=3", "--queues=gpu", "--namespace", "ns"), 3));
  }

  @Test
  void gpuListsParse() {
    assertArrayEquals(new int[]{0, 1}, EngineOptions.gpus("0, 1"));
    assertArrayEquals(new int[]{2}, EngineOptions.gpus("2"));
    assertArrayEquals(new int[]{3, 0}, EngineOptions.gpus("3,0"));
    org.junit.jupiter.api.Assertions.assertThrows(dev.lossbench.retrieval.InvalidInputException.class,
        () -> EngineOptions.gpus("-1"));
  }

  @Test
  void aBadListIsOneLineAndExit2() {
    for (String bad : List.of("0,x", "", "0,", ",1", "0;1", "cuda:0")) {
      CommandRun r = CommandRun.of("worker", "--gpus", bad);
      assertEquals(LossbenchCommand.EXIT_BAD_INPUT, r.exitCode(), bad + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains("--gpus: '" + bad + "' is not a list of GPU indices (e.g. 0,1)"), r.err());
    }
    CommandRun twice = CommandRun.of("worker", "--gpus", "0,1,0");
    assertEquals(LossbenchCommand.EXIT_BAD_INPUT, twice.exitCode(), twice.err());
    assertEquals(1, twice.err().strip().lines().count(), twice.err());
    assertTrue(twice.err().contains("--gpus: GPU 0 is listed twice in '0,1,0' (one worker process per GPU)"),
        twice.err());
  }

  private static List<String> concat(List<String> head, String last) {
    List<String> all = new java.util.ArrayList<>(head);
    all.add(last);
    return all;
  }
}
