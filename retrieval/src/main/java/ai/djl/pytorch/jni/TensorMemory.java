package ai.djl.pytorch.jni;

import ai.djl.pytorch.engine.PtNDArray;

/**
 * Whether a CPU tensor's values lie in its memory as one dense run, and an explicit contiguous copy when they do not:
 * DJL's {@code toByteBuffer(true)} makes such a copy itself, attached to the tensor's manager (a model's, which lives as
 * long as the model) and never closed. Lives in DJL's package because its native library is package-private.
 */
public final class TensorMemory {
  /** libtorch's {@code c10::Layout::Strided}: dense memory with strides (not sparse, not MKL-DNN). */
  private static final int STRIDED = 0;

  private TensorMemory() {}

  /** Whether {@code a}'s elements are its memory in order, so that a direct buffer over it holds exactly its values. */
  public static boolean isContiguous(PtNDArray a) {
    return !a.isSparse() && JniUtils.getLayout(a) == STRIDED && PyTorchLibrary.LIB.torchIsContiguous(a.getHandle());
  }

  /** A new contiguous copy of {@code a} on its device, attached to its manager: the caller closes it. */
  public static PtNDArray contiguousCopy(PtNDArray a) {
    return new PtNDArray(a.getManager(), PyTorchLibrary.LIB.torchToContiguous(a.getHandle()));
  }
}
