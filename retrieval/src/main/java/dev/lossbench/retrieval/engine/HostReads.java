package dev.lossbench.retrieval.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every read of an engine array's values into Java that code on the training path makes goes
 * through here, and is counted. On a GPU each is a device→host copy that waits for the device; on
 * the CPU DJL reads the tensor's memory directly, which libtorch's profiler cannot see — so the
 * bench's profiler row counts these reads here (see {@link OpProfile}).
 */
public final class HostReads {
  private static final AtomicLong READS = new AtomicLong();

  private HostReads() {}

  /** Reads made so far in this process. */
  public static long count() {
    return READS.get();
  }

  /** {@code a}'s values as doubles (any floating type), one read. */
  public static double[] doubles(NDArray a) {
    READS.incrementAndGet();
    return a.toType(DataType.FLOAT64, false).toDoubleArray();
  }

  /** {@code a}'s values as floats (a float32 array), one read. */
  public static float[] floats(NDArray a) {
    READS.incrementAndGet();
    return a.toFloatArray();
  }

  /** {@code a}'s raw bytes, one read (e.g. to wait for the device). */
  public static byte[] bytes(NDArray a) {
    READS.incrementAndGet();
    return a.toByteArray();
  }
}
