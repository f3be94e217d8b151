package dev.lossbench.retrieval.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.TensorMemory;
import dev.lossbench.retrieval.engine.HostCopies;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Live tensors by name as a checkpoint's arrays. {@link Checkpoint#write} writes each one's bytes straight from the
 * tensor's native memory through its small buffer, so a save puts no parameter or moment on the Java heap: as
 * {@code float[]}s, a CLIP ViT-B/32 module's weights and AdamW's moments are 1.8 GB of (humongous) allocations per
 * save, and G1 kept the heap it committed for them (issue #25). A reader that asks for values ({@code get}, iterating)
 * still gets a host copy of one array at a time, as from any {@link ArraysOnDemand}.
 *
 * <p>The tensors are read when the checkpoint is written, not when the map is made: nothing may change them in between.
 */
public final class TensorArrays extends ArraysOnDemand<NDArray> {
  private TensorArrays(Map<String, NDArray> tensors) {
    super(tensors, (name, tensor) -> HostCopies.floats(tensor));
  }

  /** {@code tensors} (in their order) as a checkpoint's arrays, read when the checkpoint is written. */
  public static Map<String, float[]> of(Map<String, NDArray> tensors) {
    return new TensorArrays(new LinkedHashMap<>(tensors));
  }

  /** The number of values of array {@code name}. */
  long length(String name) {
    return source(name).getShape().size();
  }

  /**
   * Writes array {@code name}'s values to {@code out} as little-endian float32, at most {@code scratch.length} bytes
   * (a multiple of 4) at a time through {@code scratch}: the same bytes {@link Checkpoint} writes for its values as a
   * {@code float[]}.
   */
  void writeLittleEndian(String name, OutputStream out, byte[] scratch) throws IOException {
    NDArray tensor = source(name);
    if (tensor.getShape().size() == 0) {
      return;
    }
    if (tensor.getDataType() != DataType.FLOAT32 || !(tensor instanceof PtNDArray)) {
      // through the host's floats, as before (DJL refuses any other type there)
      Checkpoint.writeFloats(HostCopies.floats(tensor), out, scratch);
      return;
    }
    if (Device.cpu().equals(tensor.getDevice())) {
      writeHost((PtNDArray) tensor, out, scratch);
      return;
    }
    // DJL's own copy to the host would stay attached to the model's manager (see HostCopies): an explicit one, closed
    try (NDArray host = tensor.toDevice(Device.cpu(), true)) {
      writeHost((PtNDArray) host, out, scratch);
    }
  }

  private static void writeHost(PtNDArray tensor, OutputStream out, byte[] scratch) throws IOException {
    if (TensorMemory.isContiguous(tensor)) {
      writeContiguous(tensor, out, scratch);
      return;
    }
    // DJL's toByteBuffer would attach its contiguous copy to the tensor's manager and never close it
    try (PtNDArray dense = TensorMemory.contiguousCopy(tensor)) {
      writeContiguous(dense, out, scratch);
    }
  }

  private static void writeContiguous(PtNDArray tensor, OutputStream out, byte[] scratch) throws IOException {
    // a CPU, contiguous tensor: a direct buffer over its memory (no copy), in the native byte order
    ByteBuffer bytes = tensor.toByteBuffer(true);
    if (bytes.remaining() != tensor.getShape().size() * 4) {
      throw new IllegalStateException("tensor " + tensor.getShape() + ": " + bytes.remaining() + " bytes in memory");
    }
    boolean swap = bytes.order() != ByteOrder.LITTLE_ENDIAN;
    while (bytes.hasRemaining()) {
      int n = Math.min(scratch.length, bytes.remaining());
      bytes.get(scratch, 0, n);
      if (swap) {
        for (int i = 0; i < n; i += 4) {
          byte b0 = scratch[i];
          byte b1 = scratch[i + 1];
          scratch[i] = scratch[i + 3];
          scratch[i + 1] = scratch[i + 2];
          scratch[i + 2] = b1;
          scratch[i + 3] = b0;
        }
      }
      out.write(scratch, 0, n);
    }
  }
}
