package dev.lossbench.retrieval.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

/**
 * Copies of engine arrays for the host (checkpoints, exports) that leave nothing behind.
 *
 * <p>DJL reads a GPU array by first copying it to the CPU as a new array attached to the source's
 * manager — for a parameter, the model's manager, which lives as long as the model — and never
 * closes that copy: every checkpoint snapshot would keep one host copy of every parameter and
 * moment. Here the CPU copy is made explicitly and closed right after the values are read.
 */
public final class HostCopies {
  private HostCopies() {}

  /** {@code a}'s values as floats; a device array goes through a CPU copy that is closed before returning. */
  public static float[] floats(NDArray a) {
    if (!a.getDevice().isGpu()) {
      return a.toFloatArray();
    }
    try (NDArray host = a.toDevice(Device.cpu(), true)) {
      return host.toFloatArray();
    }
  }
}
