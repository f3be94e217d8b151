package dev.lossbench.retrieval.engine;

import ai.djl.ndarray.NDArray;

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
    try (NDArray onJavaMemory = like.getManager().create(value)) {
      return onJavaMemory.toType(like.getDataType(), true);
    }
  }

  public static NDArray mul(NDArray x, double value) {
    return x.mul(of(x, value));
  }

  public static NDArray div(NDArray x, double value) {
    return x.div(of(x, value));
  }

  public static NDArray maximum(NDArray x, double value) {
    return x.maximum(of(x, value));
  }
}
