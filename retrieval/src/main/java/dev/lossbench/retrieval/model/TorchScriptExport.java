package dev.lossbench.retrieval.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.ModuleArchive;
import ai.djl.util.Pair;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link TorchScriptDualEncoder}'s export: the module with its current parameters as TorchScript ({@code
 * torch.jit.load} reads it), written atomically and holding CPU tensors wherever the model trains, so the file loads on
 * machines without CUDA. Two routes: a copy of the source's archive with the parameters' records replaced ({@link
 * TorchScriptArchive}: streamed, linear in the module's size), and, where such a copy cannot carry them, libtorch's
 * serialiser (a module on a GPU through a CPU copy of the module), whose archive is built in memory and then streamed
 * to disk in chunks ({@link #chunkBytes}).
 */
final class TorchScriptExport {
  private TorchScriptExport() {}

  /** Writes {@code module} with {@code parameters} (its current values) to {@code file}, by the first route that can. */
  static boolean write(PtSymbolBlock module, Path source, BasicFileAttributes sourceAsLoaded,
      Map<String, NDArray> parameters, Path file, boolean onGpu, Runnable progress) {
    Optional<TorchScriptArchive> copy = TorchScriptArchive.plan(source, sourceAsLoaded, parameters);
    if (copy.isEmpty()) {
      return serialise(module, source, parameters, file, onGpu, progress);
    }
    try {
      AtomicFiles.write(file, out -> copy.get().write(out, parameters, progress));
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Writes {@code module} with {@code parameters} by libtorch's serialiser, through a CPU copy when {@code
   * viaCpuCopy}: {@code source} loaded on the CPU, the current parameters copied in tensor by tensor.
   */
  static boolean serialise(PtSymbolBlock module, Path source, Map<String, NDArray> parameters, Path file,
      boolean viaCpuCopy, Runnable progress) {
    int chunk = chunkBytes(parameters.values().stream().mapToLong(p -> p.getShape().size() * 4L).sum());
    if (!viaCpuCopy) {
      return writeArchive(module, file, chunk, progress);
    }
    Autograd.offOnThisThread(); // the copy's parameters are written in place below
    try (PtNDManager cpu = (PtNDManager) NDManager.newBaseManager(Device.cpu())) {
      // trainParam=true as the model itself was loaded: without it DJL loads inference tensors, which refuse the
      // in-place writes below ("Inplace update to inference tensor outside InferenceMode"), and the file's
      // parameters would differ from a direct export's
      PtSymbolBlock copy = JniUtils.loadModule(cpu, source, false, new String[0], new String[0], true);
      try {
        for (Pair<String, Parameter> p : copy.getDirectParameters()) {
          NDArray a = p.getValue().getArray();
          NDArray v = parameters.get(p.getKey());
          if (v != null) {
            // device to host tensor by tensor: never the whole model as Java arrays
            try (NDArray host = v.toDevice(Device.cpu(), true)) {
              a.subi(a).addi(host);
            }
          }
        }
        return writeArchive(copy, file, chunk, progress);
      } finally {
        copy.close();
      }
    }
  }

  /**
   * An eighth of the parameters' bytes, within 4 MiB and 128 MiB. DJL's native writer copies, for the chunk at
   * offset i, up to i + chunk bytes (see {@link ModuleArchive}): about size² / (4 · chunk) bytes in all. Eight chunks
   * make that twice the archive (DJL's fixed 4 MiB: 36 times a 605 MB archive), linear in the module's size up to
   * 1 GiB of parameters; the one Java buffer is at most 128 MiB, whatever the module.
   */
  static int chunkBytes(long parameterBytes) {
    return (int) Math.max(4L << 20, Math.min(128L << 20, parameterBytes / 8));
  }

  private static boolean writeArchive(PtSymbolBlock module, Path file, int chunk, Runnable progress) {
    try {
      AtomicFiles.write(file, out -> {
        // libtorch's loop calls back into Java per chunk: an exception must not be left pending across those calls,
        // so the first one is kept, later chunks are dropped, and it is thrown once the loop has returned
        Throwable[] failed = {null};
        ModuleArchive.write(module, new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            if (failed[0] != null) {
              return;
            }
            try {
              out.write(b, off, len);
              progress.run();
            } catch (IOException | RuntimeException | Error e) {
              failed[0] = e;
            }
          }
        }, chunk);
        if (failed[0] instanceof IOException e) {
          throw e;
        } else if (failed[0] instanceof RuntimeException e) {
          throw e;
        } else if (failed[0] instanceof Error e) {
          throw e;
        }
      });
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
