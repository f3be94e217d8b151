package dev.lossbench.retrieval.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
  /** FIPS 180-2's example: ids and content hashes stored before this class existed must not move. */
  private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void pinsTheKnownDigestOfTextBytesAndFiles(@TempDir Path dir) throws IOException {
    assertEquals(ABC, Sha256.hex("abc"));
    assertEquals(ABC, Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(""));
    Path file = Files.writeString(dir.resolve("abc.txt"), "abc");
    assertEquals(ABC, Sha256.ofFile(file));
  }

  @Test
  void textIsHashedAsUtf8() {
    assertEquals(Sha256.hex("γ→∞".getBytes(StandardCharsets.UTF_8)), Sha256.hex("γ→∞"));
  }

  @Test
  void piecesHashAsTheirConcatenation(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("c"), new byte[]{'c'});
    assertEquals(ABC, new Sha256().add("a").add((byte) 'b').addFile(file).hex());
    // a file larger than the read buffer
    byte[] big = new byte[(1 << 16) * 3 + 7];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    assertEquals(Sha256.hex(big), Sha256.ofFile(Files.write(dir.resolve("big"), big)));
  }
}
