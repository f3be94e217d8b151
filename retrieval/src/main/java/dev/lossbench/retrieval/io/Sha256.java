package dev.lossbench.retrieval.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as lowercase hex, the one digest behind lossbench's ids and content hashes. Static
 * methods hash one thing; an instance hashes a sequence of pieces, as {@link MessageDigest} does.
 */
public final class Sha256 {
  private final MessageDigest digest;

  public Sha256() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  public static String hex(byte[] bytes) {
    return new Sha256().add(bytes).hex();
  }

  /** Of the text's UTF-8 bytes. */
  public static String hex(String text) {
    return new Sha256().add(text).hex();
  }

  /** Of a file's bytes, read as a stream (checkpoints and modules can be large). */
  public static String ofFile(Path file) throws IOException {
    return new Sha256().addFile(file).hex();
  }

  public Sha256 add(byte[] bytes) {
    digest.update(bytes);
    return this;
  }

  public Sha256 add(byte b) {
    digest.update(b);
    return this;
  }

  /** Adds the text's UTF-8 bytes. */
  public Sha256 add(String text) {
    return add(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds a file's bytes. */
  public Sha256 addFile(Path file) throws IOException {
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int r; (r = in.read(buf)) > 0;) {
        digest.update(buf, 0, r);
      }
    }
    return this;
  }

  /** The digest of everything added, in hex; the instance starts over afterwards. */
  public String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
