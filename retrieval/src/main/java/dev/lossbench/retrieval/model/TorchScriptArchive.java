package dev.lossbench.retrieval.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.TensorMemory;
import dev.lossbench.retrieval.model.TorchScriptPickle.TensorRef;
import dev.lossbench.retrieval.model.TorchScriptPickle.Tensors;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A fine-tuned module's TorchScript archive written as a copy of the archive it was loaded from, each parameter's
 * storage record holding the parameter's current values: code, constants, buffers and every other record are the
 * source's bytes. Linear in the module's size and streamed (one 1 MiB buffer on the heap; a parameter's bytes are
 * read from the tensor's memory, a GPU tensor's through a host copy of that tensor alone), where libtorch's
 * serialiser, the only one DJL exposes, builds the whole archive in memory first. {@link #plan} answers only when
 * every parameter is the sole reader of a CPU float32 storage record it covers exactly, and the source is unchanged
 * since the model was loaded; otherwise the caller serialises the module.
 */
final class TorchScriptArchive {
  /** libtorch aligns every record's data to 64 bytes (its {@code kFieldAlignment}); so does this copy. */
  private static final int ALIGNMENT = 64;
  private static final int BUFFER_BYTES = 1 << 20;
  /**
   * A fixed entry time: the same parameters give the same bytes. Not the zip format's earliest instant, which the JDK
   * takes for "before 1980" and writes with an extra timestamp field that would shift the data off its alignment.
   */
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

  private final Path source;
  private final BasicFileAttributes loaded;
  /** record name → parameter name */
  private final Map<String, String> parameterOfRecord;

  private TorchScriptArchive(Path source, BasicFileAttributes loaded, Map<String, String> parameterOfRecord) {
    this.source = source;
    this.loaded = loaded;
    this.parameterOfRecord = parameterOfRecord;
  }

  /**
   * How to write {@code parameters} into a copy of {@code source}, or empty when a copy cannot carry them: the source
   * changed since {@code loaded}, its pickle is not one this reader knows, or a parameter shares, views or is not a
   * float32 CPU storage record.
   */
  static Optional<TorchScriptArchive> plan(Path source, BasicFileAttributes loaded,
      Map<String, NDArray> parameters) {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN || !unchanged(source, loaded)) {
      return Optional.empty(); // libtorch's records are little-endian; the tensors' memory is native
    }
    try (ZipFile zip = new ZipFile(source.toFile())) {
      String prefix = null;
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (e.getName().endsWith("/data.pkl") && e.getName().indexOf('/') == e.getName().length() - 9) {
          prefix = e.getName().substring(0, e.getName().length() - 8);
        }
      }
      if (prefix == null) {
        return Optional.empty();
      }
      byte[] pickle;
      try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data.pkl"))) {
        pickle = in.readAllBytes();
      }
      Tensors tensors = TorchScriptPickle.read(pickle).orElse(null);
      if (tensors == null) {
        return Optional.empty();
      }
      Map<String, Integer> pathsOfKey = new HashMap<>();
      tensors.byPath().values().forEach(t -> pathsOfKey.merge(t.key(), 1, Integer::sum));
      Map<String, String> parameterOfRecord = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
        TensorRef t = tensors.byPath().get(p.getKey());
        if (t == null || !"torch.FloatStorage".equals(t.storageType()) || !"cpu".equals(t.location())
            || !t.coversItsStorage() || !t.size().equals(shape(p.getValue()))
            || tensors.usesOfKey().getOrDefault(t.key(), 0) != 1 || pathsOfKey.get(t.key()) != 1) {
          return Optional.empty();
        }
        String record = prefix + "data/" + t.key();
        ZipEntry e = zip.getEntry(record);
        if (e == null || e.getSize() != t.numel() * Float.BYTES) {
          return Optional.empty();
        }
        parameterOfRecord.put(record, p.getKey());
      }
      return Optional.of(new TorchScriptArchive(source, loaded, Map.copyOf(parameterOfRecord)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The archive to {@code out} (not closed), {@code progress} after every record. */
  void write(OutputStream out, Map<String, NDArray> parameters, Runnable progress) throws IOException {
    CountingStream counted = new CountingStream(out);
    byte[] buffer = new byte[BUFFER_BYTES];
    try (ZipFile zip = new ZipFile(source.toFile())) {
      if (!unchanged(source, loaded)) {
        throw new IOException(source + " changed while the model trained: its archive cannot be copied");
      }
      ZipOutputStream z = new ZipOutputStream(counted);
      for (ZipEntry from : Collections.list(zip.entries())) {
        String parameter = parameterOfRecord.get(from.getName());
        if (parameter == null) {
          put(z, counted, from.getName(), from.getSize(), from.getCrc());
          try (InputStream in = zip.getInputStream(from)) {
            in.transferTo(z);
          }
        } else {
          writeParameter(z, counted, from.getName(), parameters.get(parameter), buffer);
        }
        z.closeEntry();
        progress.run();
      }
      z.finish();
      z.flush();
    }
  }

  /** A parameter's record: its bytes from the tensor's memory (a GPU tensor's through a host copy of it alone). */
  private static void writeParameter(ZipOutputStream z, CountingStream counted, String name, NDArray p, byte[] buffer)
      throws IOException {
    // host copies closed right after, as HostCopies does: DJL's implicit ones stay attached to the model's manager
    try (NDArray host = p.getDevice().isGpu() ? p.toDevice(Device.cpu(), true) : null) {
      PtNDArray t = (PtNDArray) (host != null ? host : p);
      try (PtNDArray copy = denseCopy(t)) {
        ByteBuffer bytes = (copy != null ? copy : t).toByteBuffer(true); // a direct view of the memory, no copy
        CRC32 crc = new CRC32();
        crc.update(bytes.duplicate());
        put(z, counted, name, bytes.remaining(), crc.getValue());
        while (bytes.hasRemaining()) {
          int n = Math.min(buffer.length, bytes.remaining());
          bytes.get(buffer, 0, n);
          z.write(buffer, 0, n);
        }
      }
    }
  }

  /** A stored (uncompressed) entry whose data starts on {@link #ALIGNMENT}, padded by an extra field as libtorch's. */
  private static void put(ZipOutputStream z, CountingStream counted, String name, long size, long crc)
      throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(size);
    e.setCompressedSize(size);
    e.setCrc(crc);
    e.setTimeLocal(ENTRY_TIME);
    // local header: 30 bytes, the name, then the extra field (2 bytes id, 2 bytes length, the padding)
    long dataAt = counted.count + 30 + name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 4;
    int pad = (int) ((ALIGNMENT - dataAt % ALIGNMENT) % ALIGNMENT);
    byte[] extra = new byte[4 + pad];
    extra[0] = 'F';
    extra[1] = 'B';
    extra[2] = (byte) pad;
    extra[3] = (byte) (pad >> 8);
    java.util.Arrays.fill(extra, 4, extra.length, (byte) 'Z');
    e.setExtra(extra);
    z.putNextEntry(e);
  }

  /**
   * Null when {@code a}'s memory holds its values in order (a module's parameters do: plan checked the source's views,
   * and training updates them in place), else an explicit contiguous copy for the caller to close (DJL's own copy would
   * stay attached to the model's manager).
   */
  private static PtNDArray denseCopy(PtNDArray a) {
    return TensorMemory.isContiguous(a) ? null : TensorMemory.contiguousCopy(a);
  }

  private static List<Long> shape(NDArray a) {
    return java.util.Arrays.stream(a.getShape().getShape()).boxed().toList();
  }

  private static boolean unchanged(Path file, BasicFileAttributes loaded) {
    try {
      BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
      return Objects.equals(now.fileKey(), loaded.fileKey()) && now.size() == loaded.size()
          && now.lastModifiedTime().equals(loaded.lastModifiedTime());
    } catch (IOException e) {
      return false;
    }
  }

  /** Counts what reaches the file, to place each record's data on its alignment. */
  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
