package dev.lossbench.retrieval.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Numbers as 0-d arrays whose memory PyTorch owns — use these, never {@code x.mul(2)}, {@code
 * x.div(t)} or {@code x.maximum(0)}, on anything gradients flow through.
 *
 * <p>DJL's PyTorch engine creates a CPU array from Java values on a direct buffer without copying,
 * and its number-operand operations create the number that way and close it right after the
 * operation. Autograd keeps the operand for the backward pass (a product's or quotient's gradient
 * reads it, a maximum compares with it), but closing dropped the only reference to the buffer: a
 * garbage collection before {@code backward} frees the memory, and the gradient is computed with
 * whatever reuses it — NaN, infinite or just wrong, nondeterministically (busy JVMs diverged).
 * A copy made by PyTorch owns its storage, so the saved tensor keeps it alive.
 */
public final class Scalars {
  private Scalars() {}

  /**
   * {@code value} as a 0-d array of {@code like}'s data type in its manager (type promotion as
   * with DJL's number operand), in a copy whose storage PyTorch owns.
   */
  public static NDArray of(NDArray like, double value) {
    return owned(like.getManager(), like.getDataType(), value);
  }

  /**
   * {@code value} in a tensor whose storage PyTorch allocated. Not {@code toType(type, true)} alone: when the
   * type is already float64 (a Java double), libtorch's {@code to} returns the same tensor — still on the Java
   * buffer that is freed once the Java-side array is closed and collected (float64 constants read back as
   * garbage such as 6.9e-310). {@code duplicate} (a clone) always allocates.
   */
  private static NDArray owned(NDManager manager, DataType type, double value) {
    try (NDArray onJavaMemory = manager.create(value); NDArray converted = onJavaMemory.toType(type, false)) {
      NDArray copy = converted.duplicate();
      // converted may be onJavaMemory itself: closing it twice is harmless, the copy is separate
      return copy;
    }
  }

  public static NDArray mul(NDArray x, double value) {
    return x.mul(constant(x, value));
  }

  public static NDArray div(NDArray x, double value) {
    return x.div(constant(x, value));
  }

  public static NDArray sub(NDArray x, double value) {
    return x.sub(constant(x, value));
  }

  public static NDArray maximum(NDArray x, double value) {
    return x.maximum(constant(x, value));
  }

  /** One PyTorch-owned 0-d array per (device, data type, value), made once and kept for the process. */
  private static final ConcurrentHashMap<String, NDArray> CONSTANTS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Device, NDManager> HOMES = new ConcurrentHashMap<>();

  /**
   * {@code value} as a 0-d array like {@link #of}, but cached: the same array for every call with the
   * same device, data type and value, so a training step makes no scalar arrays on the host (each one
   * is a host→device copy on a GPU). Read-only: use it only as an operand, never in place.
   */
  public static NDArray constant(NDArray like, double value) {
    Device device = like.getDevice();
    String key = device + "/" + like.getDataType() + "/" + Double.doubleToLongBits(value);
    NDArray c = CONSTANTS.get(key);
    if (c != null) {
      return c;
    }
    return CONSTANTS.computeIfAbsent(key, k -> {
      NDManager home = HOMES.computeIfAbsent(device, d -> NDManager.newBaseManager(d));
      NDArray a = owned(home, like.getDataType(), value);
      // an open NDScope must not close the process-long constant
      NDScope.unregister(a);
      return a;
    });
  }
}
