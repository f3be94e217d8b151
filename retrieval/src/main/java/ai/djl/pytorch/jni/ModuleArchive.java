package ai.djl.pytorch.jni;

import ai.djl.pytorch.engine.PtSymbolBlock;
import java.io.OutputStream;

/**
 * Writes a TorchScript module's archive to a stream in chunks of a size the caller picks. DJL's own
 * {@link JniUtils#writeModule} passes a fixed 4 MiB chunk to a native loop that copies {@code offset + chunk}
 * bytes for every chunk ({@code str.substr(i, i + len)}, a count taken for an end): its cost grows with the square
 * of the module's size (2 minutes for 605 MB). With chunks of an eighth of the archive each copy is bounded by
 * the archive and there are at most 9 of them. Lives in DJL's package because its native library is
 * package-private.
 */
public final class ModuleArchive {
  private ModuleArchive() {}

  /** Writes the bare archive ({@code torch.jit.load} reads it) to {@code out}, {@code chunk} bytes per write. */
  public static void write(PtSymbolBlock module, OutputStream out, int chunk) {
    PyTorchLibrary.LIB.moduleWrite(module.getHandle(), out, new byte[chunk], false);
  }
}
