package dev.lossbench.workflows.matrix;

import dev.lossbench.retrieval.io.Sha256;

/** Short SHA-256 identities of canonical texts (cell ids, dataset ids, spec hashes). */
final class Digest {
  /** Hex characters kept: 80 bits, so collisions within any store are out of reach. */
  static final int LENGTH = 20;

  private Digest() {}

  static String of(String canonicalText) {
    return Sha256.hex(canonicalText).substring(0, LENGTH);
  }
}
