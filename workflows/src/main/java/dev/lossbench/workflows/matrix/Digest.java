package dev.lossbench.workflows.matrix;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short SHA-256 identities of canonical texts (cell ids, dataset ids, spec hashes). */
final class Digest {
  /** Hex characters kept: 80 bits, so collisions within any store are out of reach. */
  static final int LENGTH = 20;

  private Digest() {}

  static String of(String canonicalText) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(canonicalText.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
