package dev.lossbench.retrieval.io;

import java.nio.ByteBuffer;

/**
 * Named float arrays kept in a file (a checkpoint's) that can put an array's values straight into memory they are
 * given — a tensor's — as the little-endian float32 bytes they are stored as: loading a large model then makes no Java
 * array and no direct buffer that only a garbage collection would free.
 */
public interface StoredFloats {
  /** The number of floats stored as {@code name}, without reading them; −1 when there is no such array. */
  long length(String name);

  /** Fills {@code target}, whose remaining bytes are exactly {@code 4 · length(name)}, with {@code name}'s bytes. */
  void readInto(String name, ByteBuffer target);
}
