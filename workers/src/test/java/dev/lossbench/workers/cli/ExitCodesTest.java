package dev.lossbench.workers.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.data.SyntheticConfig;
import dev.lossbench.retrieval.data.SyntheticScenes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit-code contract: a mistake the user can fix — a data file, a database setting, a database that cannot be
 * reached — ends {@code lossbench} with exit code 2 and one line on stderr naming the file or value, never a stack
 * trace; library logs and stack traces go to {@code HOME/logs/lossbench.log}.
 */
class ExitCodesTest {
  @TempDir
  Path dir;

  private static final String MATRIX = """
      name: data-errors
      datasets:
        - name: real
          kind: precomp
          path: %s
      models: ['vse-mean:embed_dim=16,word_dim=8']
      losses: [infonce]
      seeds: 2
      training: {epochs: 1, batch_size: 16, max_steps_per_epoch: 2}
      """;

  /** A precomp dataset on disk, one of its files broken by {@code breakIt}; {@code lossbench run} on a fresh home. */
  private CommandRun runOnBrokenData(String name, FileBreaker breakIt) throws IOException {
    Path data = dir.resolve(name);
    new SyntheticScenes(SyntheticConfig.defaults().withImages(40, 16, 16).withSeed(9)).generate(data);
    breakIt.breakFiles(data);
    Path matrix = Files.writeString(dir.resolve(name + ".yaml"), MATRIX.formatted(data));
    Path home = dir.resolve("home-" + name);
    CommandRun r = CommandRun.of("run", matrix.toString(), "--home", home.toString());
    assertTrue(Files.exists(home.resolve("logs").resolve("lossbench.log")), "the log file is under the home");
    return r;
  }

  @FunctionalInterface
  interface FileBreaker {
    void breakFiles(Path data) throws IOException;
  }

  private static void assertOneLineNaming(CommandRun r, String file, String... words) {
    assertEquals(2, r.exitCode(), r.out() + r.err());
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one line on stderr: " + r.err());
    System.out.println("exit " + r.exitCode() + ", stderr: " + lines.get(0));
    assertTrue(lines.get(0).contains(file), "names " + file + ": " + lines.get(0));
    for (String w : words) {
      assertTrue(lines.get(0).contains(w), "says '" + w + "': " + lines.get(0));
    }
    assertFalse(r.err().contains("\tat ") || r.err().lines().anyMatch(l -> l.strip().startsWith("at ")),
        "no stack trace: " + r.err());
  }

  @Test
  void aTruncatedFeatureFile() throws IOException {
    CommandRun r = runOnBrokenData("truncated", d -> {
      Path ims = d.resolve("train_ims.npy");
      byte[] bytes = Files.readAllBytes(ims);
      Files.write(ims, Arrays.copyOf(bytes, bytes.length / 2));
    });
    assertOneLineNaming(r, "train_ims.npy", "truncated");
  }

  @Test
  void aFeatureFileOfAnotherDtype() throws IOException {
    CommandRun r = runOnBrokenData("dtype",
        d -> Files.write(d.resolve("train_ims.npy"), npy("<c8", false, 40 * 8 * 8)));
    assertOneLineNaming(r, "train_ims.npy", "<c8");
  }

  @Test
  void aFeatureFileInFortranOrder() throws IOException {
    CommandRun r = runOnBrokenData("fortran",
        d -> Files.write(d.resolve("train_ims.npy"), npy("<f4", true, 40 * 8 * 4)));
    assertOneLineNaming(r, "train_ims.npy", "ortran");
  }

  @Test
  void aCaptionCountThatDoesNotMatchTheImages() throws IOException {
    CommandRun r = runOnBrokenData("count", d -> {
      Path caps = d.resolve("train_caps.txt");
      List<String> lines = Files.readAllLines(caps);
      Files.write(caps, lines.subList(0, lines.size() - 3));
    });
    assertOneLineNaming(r, "train_caps.txt", "captions");
  }

  @Test
  void anEmptyCaptionFile() throws IOException {
    CommandRun r = runOnBrokenData("empty", d -> Files.write(d.resolve("train_caps.txt"), new byte[0]));
    assertOneLineNaming(r, "train_caps.txt");
  }

  @Test
  void captionsThatAreNotUtf8() throws IOException {
    CommandRun r = runOnBrokenData("latin1", d -> {
      Path caps = d.resolve("train_caps.txt");
      byte[] text = Files.readString(caps).replaceFirst("a", "\u00e9").getBytes(StandardCharsets.ISO_8859_1);
      Files.write(caps, text);
    });
    assertOneLineNaming(r, "train_caps.txt", "UTF-8");
  }

  /** An npy file with {@code descr} and order as given, shape (40, 8), {@code dataBytes} of zeros. */
  static byte[] npy(String descr, boolean fortran, int dataBytes) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
        + ", 'shape': (40, 8), }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x93);
    out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
    out.write(1);
    out.write(0);
    out.write(header.length() & 0xff);
    out.write(header.length() >> 8);
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[dataBytes]);
    return out.toByteArray();
  }

  // configuration and connection mistakes need environment variables: the real entry point in a child JVM

  @Test
  void aDatabaseUrlOfAnotherKindAndADatabaseThatIsNotThereAreOneLineEach() throws Exception {
    CommandRun mysql = lossbenchProcess(Map.of("LOSSBENCH_DB_URL", "mysql://db.example.org/lossbench"), "status");
    assertOneLineNaming(mysql, "LOSSBENCH_DB_URL", "mysql://db.example.org/lossbench", "PostgreSQL");

    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    CommandRun refused = lossbenchProcess(
        Map.of("LOSSBENCH_DB_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/lossbench"),
        "leaderboard");
    assertOneLineNaming(refused, "127.0.0.1:" + closed, "cannot connect");
  }

  private CommandRun lossbenchProcess(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LossbenchCommand.class.getName()));
    command.addAll(List.of(args));
    command.addAll(List.of("--home", dir.resolve("home-process").toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("LOSSBENCH_"));
    pb.environment().putAll(env);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "lossbench " + String.join(" ", args) + " ended");
    return new CommandRun(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
