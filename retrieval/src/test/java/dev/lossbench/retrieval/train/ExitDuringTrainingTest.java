package dev.lossbench.retrieval.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process exiting while a training step is inside libtorch's backward pass: before, the JVM's exit ran
 * libtorch's static destructors under the running backward and the process died with SIGSEGV in
 * {@code at::accelerator::getAccelerator} (exit 134 and an hs_err file) — the crash once seen in this suite.
 * Now the exit waits for the step ({@code NativeWork}): the step finishes, no further step starts, and the
 * process ends with the code it was asked for.
 */
class ExitDuringTrainingTest {
  @Test
  void anExitDuringBackwardLetsTheStepFinishAndEndsWithItsCode(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("child.out");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // the step must finish however loaded the machine is: the drain limit is not what this test is about
        "-Dai.djl.offline=true", "-Dlossbench.exitDrainSeconds=540", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
        "-cp", classpath,
        ExitDuringTrainingMain.class.getName(), dir.toString());
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    Process child = pb.start();
    assertTrue(child.waitFor(10, TimeUnit.MINUTES), "the child did not end in 10 minutes");
    String log = Files.readString(out);
    assertEquals(List.of(), crashFiles(dir), () -> "the child crashed: " + log);
    assertEquals(ExitDuringTrainingMain.EXIT_CODE, child.exitValue(), log);
    List<String> lines = log.lines().toList();
    int exiting = indexOf(lines, ExitDuringTrainingMain.EXITING);
    assertTrue(exiting >= 0, log);
    int step = Integer.parseInt(lines.get(exiting).substring(ExitDuringTrainingMain.EXITING.length()).trim());
    // the step in flight at the exit finished; none started after it
    List<String> after = lines.subList(exiting + 1, lines.size()).stream()
        .filter(l -> l.startsWith(ExitDuringTrainingMain.STEP_DONE)).toList();
    assertEquals(List.of(ExitDuringTrainingMain.STEP_DONE + step), after, log);
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static List<Path> crashFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
    }
  }
}
