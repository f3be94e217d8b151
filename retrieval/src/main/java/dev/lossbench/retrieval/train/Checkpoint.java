package dev.lossbench.retrieval.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.retrieval.io.AtomicFiles;
import dev.lossbench.retrieval.io.CheckpointFile;
import dev.lossbench.retrieval.io.StorageException;
import dev.lossbench.retrieval.io.StoredFloats;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Reads and writes {@link CheckpointState} as one file: a magic string, the metadata as JSON, the
 * vocabulary, parameters and optimizer moments as raw little-endian floats, and a CRC-32 of
 * everything, so a truncated or corrupted file is recognised instead of half-loaded. Writes are
 * {@link AtomicFiles#write atomic}: a crash mid-write leaves the previous checkpoint intact.
 */
public final class Checkpoint {
  private static final byte[] MAGIC = CheckpointFile.magicBytes();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Checkpoint() {}

  /** The bytes of floats a save writes at a time. */
  private static final int WRITE_BUFFER_BYTES = 1 << 20;

  /** Metadata: every field of the state but the large arrays. */
  private record Meta(RunIdentity run, int epoch, int stepInEpoch, long globalStep, double epochLossSum,
      double epochGradNormSum, double epochSeconds, double bestRsum, int bestEpoch, List<EpochMetrics> history,
      long optimizerSteps) {}

  public static void write(Path file, CheckpointState s) {
    write(file, s, () -> {});
  }

  /** {@link #write(Path, CheckpointState)}, asking {@code beforeReplace} just before the file is put in place. */
  public static void write(Path file, CheckpointState s, Runnable beforeReplace) {
    write(file, s, beforeReplace, () -> {});
  }

  /** {@link #write(Path, CheckpointState, Runnable)}, running {@code progress} after every array written. */
  public static void write(Path file, CheckpointState s, Runnable beforeReplace, Runnable progress) {
    try {
      AtomicFiles.write(file, fileOut -> {
        CRC32 crc = new CRC32();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(fileOut, crc));
        out.write(MAGIC);
        byte[] meta = JSON
            .writeValueAsBytes(new Meta(s.run(), s.epoch(), s.stepInEpoch(), s.globalStep(), s.epochLossSum(),
                s.epochGradNormSum(), s.epochSeconds(), s.bestRsum(), s.bestEpoch(), s.history(), s.optimizerSteps()));
        out.writeInt(meta.length);
        out.write(meta);
        out.writeInt(s.vocabulary().size());
        for (String w : s.vocabulary()) {
          out.writeUTF(w);
        }
        // one 1 MiB buffer for every array: neither a byte copy of a whole array nor, from live tensors, a float[]
        byte[] scratch = new byte[WRITE_BUFFER_BYTES];
        writeArrays(out, s.parameters(), scratch, progress);
        writeArrays(out, s.optimizer(), scratch, progress);
        out.flush();
        // the checksum itself is outside what it covers
        new DataOutputStream(fileOut).writeLong(crc.getValue());
      }, beforeReplace);
    } catch (IOException e) {
      // the previous checkpoint is intact; a full disk or an unwritable directory is not retried
      throw StorageException.classify("cannot write checkpoint", file, e);
    }
  }

  private static void writeArrays(DataOutputStream out, Map<String, float[]> arrays, byte[] scratch,
      Runnable progress) throws IOException {
    out.writeInt(arrays.size());
    if (arrays instanceof TensorArrays tensors) {
      // live tensors: each one's bytes from its native memory, never a float[] on the heap
      for (String name : tensors.keySet()) {
        out.writeUTF(name);
        out.writeInt(Math.toIntExact(tensors.length(name)));
        tensors.writeLittleEndian(name, out, scratch);
        progress.run();
      }
      return;
    }
    for (Map.Entry<String, float[]> e : arrays.entrySet()) {
      out.writeUTF(e.getKey());
      float[] v = e.getValue();
      out.writeInt(v.length);
      writeFloats(v, out, scratch);
      progress.run();
    }
  }

  /** {@code v} as little-endian floats, {@code scratch.length} bytes (a multiple of 4) at a time. */
  static void writeFloats(float[] v, OutputStream out, byte[] scratch) throws IOException {
    FloatBuffer floats = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    for (int from = 0; from < v.length; from += floats.capacity()) {
      int n = Math.min(floats.capacity(), v.length - from);
      floats.clear();
      floats.put(v, from, n);
      out.write(scratch, 0, n * 4);
    }
  }

  /** The whole checkpoint, its arrays on the heap (tests, tools); a run resumes through {@link #open}. */
  public static CheckpointState read(Path file) {
    return read(file, true);
  }

  /**
   * The checkpoint, checked whole (magic, structure, checksum) in one pass that holds one buffer, its arrays read from
   * the file one at a time when asked for ({@link StoredArrays}): resuming a large module puts one tensor at a time on
   * the heap, not the weights and both AdamW moments (≈ 1.8 GB for CLIP ViT-B/32), and evaluation never reads the
   * optimiser state. An array asked for after the file was replaced is an error, never another checkpoint's values.
   */
  public static CheckpointState open(Path file) {
    return read(file, false);
  }

  private static CheckpointState read(Path file, boolean eager) {
    long size;
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
      size = attributes.size();
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + ": checkpoint not found");
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read checkpoint (" + e.getMessage() + ")", e);
    }
    if (size < MAGIC.length + 8) {
      throw new CheckpointException(file + ": truncated checkpoint (" + size + " bytes)");
    }
    CRC32 crc = new CRC32();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      // the last 8 bytes are the checksum; everything before it is covered
      long[] left = {size - 8};
      InputStream body = new FilterInputStream(raw) {

        @Override
        public int read() throws IOException {
          if (left[0] <= 0) {
            return -1;
          }
          int r = super.read();
          if (r >= 0) {
            left[0]--;
          }
          return r;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (left[0] <= 0) {
            return -1;
          }
          int r = super.read(b, off, (int) Math.min(len, left[0]));
          if (r > 0) {
            left[0] -= r;
          }
          return r;
        }
      };
      DataInputStream in = new DataInputStream(new CheckedInputStream(body, crc));
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new CheckpointException(file + ": not a lossbench checkpoint (bad magic)");
      }
      int metaLen = boundedLength(in.readInt(), size, file, "metadata");
      byte[] metaBytes = new byte[metaLen];
      in.readFully(metaBytes);
      int words = boundedLength(in.readInt(), size, file, "vocabulary");
      List<String> vocabulary = new ArrayList<>(words);
      for (int i = 0; i < words; i++) {
        vocabulary.add(in.readUTF());
      }
      // the file offset of the next byte the DataInputStream reads (it reads exactly what it is asked for)
      LongSupplier position = () -> size - 8 - left[0];
      Map<String, float[]> params = readArrays(in, size, file, eager, position, attributes);
      Map<String, float[]> optimizer = readArrays(in, size, file, eager, position, attributes);
      if (in.read() != -1) {
        throw new CheckpointException(file + ": corrupt checkpoint (unexpected bytes after the data)");
      }
      long stored = new DataInputStream(raw).readLong();
      if (stored != crc.getValue()) {
        throw new CheckpointException(file + ": corrupt checkpoint (checksum mismatch)");
      }
      Meta meta = JSON.readValue(metaBytes, new TypeReference<Meta>() {});
      return new CheckpointState(meta.run(), meta.epoch(), meta.stepInEpoch(), meta.globalStep(), meta.epochLossSum(),
          meta.epochGradNormSum(), meta.epochSeconds(), meta.bestRsum(), meta.bestEpoch(), meta.history(), vocabulary,
          params, optimizer, meta.optimizerSteps());
    } catch (EOFException e) {
      throw new CheckpointException(file + ": truncated checkpoint (the file ends inside its data)", e);
    } catch (IOException e) {
      throw new CheckpointException(file + ": corrupt checkpoint (" + e.getMessage() + ")", e);
    }
  }

  private static Map<String, float[]> readArrays(DataInputStream in, long size, Path file, boolean eager,
      LongSupplier position, BasicFileAttributes attributes) throws IOException {
    int n = boundedLength(in.readInt(), size, file, "array count");
    Map<String, float[]> out = new LinkedHashMap<>();
    Map<String, long[]> index = new LinkedHashMap<>();
    byte[] chunk = eager ? null : new byte[CHUNK];
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      int len = boundedLength(in.readInt(), size / 4, file, "array " + name);
      if (eager) {
        byte[] bytes = new byte[len * 4];
        in.readFully(bytes);
        float[] v = new float[len];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        out.put(name, v);
      } else {
        // through the checksum, one chunk at a time; the values are read again when asked for
        index.put(name, new long[]{position.getAsLong(), len});
        for (long rest = len * 4L; rest > 0;) {
          int r = (int) Math.min(rest, chunk.length);
          in.readFully(chunk, 0, r);
          rest -= r;
        }
      }
    }
    return eager ? out : StoredArrays.of(file, attributes, index);
  }

  private static final int CHUNK = 1 << 20;

  /**
   * Arrays of a checked checkpoint file, by name in the file's order, each read from the file when its value is asked
   * for (every time: nothing is kept). Names and sizes need no read. The file must be the one that was checked (same
   * file key, size and modification time): a checkpoint replaced since — the next save renames a new file over it —
   * is refused with a {@link CheckpointException}.
   */
  static final class StoredArrays {
    private final Path file;
    private final BasicFileAttributes checked;

    private StoredArrays(Path file, BasicFileAttributes checked) {
      this.file = file;
      this.checked = checked;
    }

    /** @param index name → {file offset of the values, number of floats} */
    static Map<String, float[]> of(Path file, BasicFileAttributes checked, Map<String, long[]> index) {
      return new Stored(new StoredArrays(file, checked), index);
    }

    /** The map a checkpoint's reader gets: arrays on demand, or their bytes straight into a tensor's memory. */
    private static final class Stored extends ArraysOnDemand<long[]> implements StoredFloats {
      private final StoredArrays stored;

      Stored(StoredArrays stored, Map<String, long[]> index) {
        super(index, (name, at) -> stored.load(name, at[0], (int) at[1]));
        this.stored = stored;
      }

      @Override
      public long length(String name) {
        long[] at = source(name);
        return at == null ? -1 : at[1];
      }

      @Override
      public void readInto(String name, ByteBuffer target) {
        long[] at = source(name);
        if (at == null || target.remaining() != at[1] * 4) {
          throw new IllegalArgumentException(stored.file + ": array " + name + " has " + length(name)
              + " floats, the target " + target.remaining() + " bytes");
        }
        stored.read(name, at[0], target);
      }
    }

    private float[] load(String name, long offset, int len) {
      float[] v = new float[len];
      ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, len * 4L)).order(ByteOrder.LITTLE_ENDIAN);
      read(name, channel -> {
        int filled = 0;
        while (filled < len) {
          chunk.clear();
          chunk.limit((int) Math.min(chunk.capacity(), (len - filled) * 4L));
          fill(channel, name, offset + filled * 4L, chunk);
          chunk.flip();
          int floats = chunk.remaining() / 4;
          chunk.asFloatBuffer().get(v, filled, floats);
          filled += floats;
        }
      });
      return v;
    }

    /** Fills {@code target}'s remaining bytes from the file at {@code offset}. */
    private void read(String name, long offset, ByteBuffer target) {
      read(name, channel -> fill(channel, name, offset, target));
    }

    private interface ChannelRead {
      void from(FileChannel channel) throws IOException;
    }

    /** Opens the file once for {@code body}, checked to be the file that was read. */
    private void read(String name, ChannelRead body) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
        if (!Objects.equals(now.fileKey(), checked.fileKey()) || now.size() != checked.size()
            || !now.lastModifiedTime().equals(checked.lastModifiedTime())) {
          throw new CheckpointException(file + ": checkpoint replaced while it was being read (array " + name + ")");
        }
        body.from(channel);
      } catch (NoSuchFileException e) {
        throw new CheckpointException(file + ": checkpoint removed while it was being read (array " + name + ")");
      } catch (IOException e) {
        throw new CheckpointException(file + ": cannot read checkpoint (" + e.getMessage() + ")", e);
      }
    }

    private void fill(FileChannel channel, String name, long offset, ByteBuffer target) throws IOException {
      long at = offset;
      while (target.hasRemaining()) {
        int r = channel.read(target, at);
        if (r < 0) {
          throw new CheckpointException(file + ": truncated checkpoint (the file ends inside array " + name + ")");
        }
        at += r;
      }
    }
  }

  /** A length read from the file cannot exceed the file: a flipped bit must not allocate gigabytes. */
  private static int boundedLength(int n, long limit, Path file, String what) {
    if (n < 0 || n > limit) {
      throw new CheckpointException(file + ": corrupt checkpoint (" + what + " length " + n + ")");
    }
    return n;
  }
}
