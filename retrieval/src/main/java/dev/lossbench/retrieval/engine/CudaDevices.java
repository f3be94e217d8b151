package dev.lossbench.retrieval.engine;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import java.nio.charset.StandardCharsets;

/**
 * What CUDA says about a GPU, for the run's record: its name and the memory in use on it. Both are
 * best-effort — null when there is no CUDA runtime to ask (a CPU libtorch, a CPU device) or it
 * does not answer — and never fail a run.
 */
public final class CudaDevices {
  /** {@code cudaDeviceProp} begins with {@code char name[256]} in every CUDA release; the rest is more than enough room. */
  private static final int PROPERTIES_BYTES = 16 * 1024;
  private static final int NAME_BYTES = 256;

  private CudaDevices() {}

  /**
   * The device as a run records it: {@code cpu}, {@code cuda:N (NAME)} when CUDA names the GPU,
   * else {@code cuda:N}.
   */
  public static String describe(Device d) {
    String name = EngineSettings.name(d);
    if (!d.isGpu()) {
      return name;
    }
    String gpu = gpuName(d.getDeviceId());
    return gpu == null ? name : name + " (" + gpu + ")";
  }

  /**
   * Bytes in use on the GPU as CUDA counts them ({@code cudaMemGetInfo}: total − free, so
   * libtorch's cached blocks and other processes on that GPU count); null for the CPU or when
   * CUDA does not say.
   */
  public static Long memoryInUse(Device d) {
    if (!d.isGpu()) {
      return null;
    }
    try {
      long used = CudaUtils.getGpuMemory(d).getUsed();
      return used >= 0 ? used : null;
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /** The GPU's name from the CUDA runtime ({@code cudaGetDeviceProperties}), or null. */
  static String gpuName(int deviceId) {
    if (!CudaUtils.hasCuda()) {
      return null;
    }
    try {
      NativeLibrary cudart = NativeLibrary.getInstance("cudart");
      Function properties;
      try {
        properties = cudart.getFunction("cudaGetDeviceProperties_v2"); // what CUDA 12's header names cudaGetDeviceProperties
      } catch (UnsatisfiedLinkError e) {
        properties = cudart.getFunction("cudaGetDeviceProperties");
      }
      try (Memory prop = new Memory(PROPERTIES_BYTES)) {
        prop.clear();
        if (properties.invokeInt(new Object[]{prop, deviceId}) != 0) {
          return null;
        }
        return nameOf(prop.getByteArray(0, NAME_BYTES));
      }
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /** A NUL-terminated C string of printable characters, trimmed; null when empty or not text. */
  static String nameOf(byte[] cString) {
    int end = 0;
    while (end < cString.length && cString[end] != 0) {
      end++;
    }
    String s = new String(cString, 0, end, StandardCharsets.UTF_8).strip();
    return s.isEmpty() || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? null : s;
  }
}
