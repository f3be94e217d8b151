package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** No JVM error reaches the terminal as a stack trace: one line, and exit 2 when the input caused it. */
class JvmErrorsTest {
  @TempDir
  Path temp;

  @CommandLine.Command(name = "overflow")
  static final class Overflow implements Runnable {
    @Override
    public void run() {
      recurse(0);
    }

    private static int recurse(int depth) {
      return recurse(depth + 1) + 1;
    }
  }

  @Test
  void aStackOverflowIsOneLineAndExitOne() {
    StringWriter err = new StringWriter();
    CommandLine cl = LossbenchCommand.commandLine().addSubcommand("overflow", new Overflow());
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute("overflow");
    assertEquals(LossbenchCommand.EXIT_FAILED, exit, err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("lossbench overflow: internal error: java.lang.StackOverflowError"),
        err.toString());
  }

  @Test
  void aMatrixOfTwoThousandNestedListsIsOneLineAndExitTwo() throws Exception {
    Path matrix = temp.resolve("deep.yaml");
    Files.writeString(matrix, "name: deep\nmodels: " + "[".repeat(2000) + "]".repeat(2000) + "\n");
    CommandRun r = CommandRun.of("run", matrix.toString(), "--home", temp.resolve("home").toString());
    assertEquals(LossbenchCommand.EXIT_BAD_INPUT, r.exitCode(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains(matrix + ":2:") && r.err().contains("nested more than"), r.err());
  }

  @Test
  void aDeviceAsTheMatrixIsOneLineAndExitTwo() {
    Path zero = Path.of("/dev/zero");
    if (!Files.isReadable(zero)) {
      return; // no such device on this OS
    }
    CommandRun r = CommandRun.of("run", zero.toString(), "--home", temp.resolve("home").toString());
    assertEquals(LossbenchCommand.EXIT_BAD_INPUT, r.exitCode(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("/dev/zero: (file): is more than 1048576 bytes"), r.err());
  }
}
