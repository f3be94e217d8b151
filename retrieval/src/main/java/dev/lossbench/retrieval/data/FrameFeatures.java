package dev.lossbench.retrieval.data;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.npy.NpyArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Frame features of the videos of one split, from one shared {@code .npy} or per-video files,
 * presented as a fixed number of frame slots. Longer videos are sampled at evenly spaced frames
 * (CLIP4Clip's {@code slice_framepos=2}, which keeps the whole clip in view); shorter ones are
 * zero-padded and report how many frames are real.
 */
final class FrameFeatures {
  private final NpyArray[] arrays;
  private final long[] firstElement;
  private final int[] frames;
  private final int slots;
  private final int dim;

  private FrameFeatures(NpyArray[] arrays, long[] firstElement, int[] frames, int slots, int dim) {
    this.arrays = arrays;
    this.firstElement = firstElement;
    this.frames = frames;
    this.slots = slots;
    this.dim = dim;
  }

  static FrameFeatures open(MsrvttFiles files, List<String> videoIds, int maxFrames) {
    if (Files.isRegularFile(files.featuresNpy())) {
      return fromSharedFile(files, videoIds, maxFrames);
    }
    if (Files.isDirectory(files.featuresDir())) {
      return fromDirectory(files.featuresDir(), videoIds, maxFrames);
    }
    throw new InvalidInputException("MSR-VTT frame features not found: expected " + files.featuresNpy()
        + " (with " + files.videoIds().getFileName() + ") or a directory " + files.featuresDir()
        + " of {video_id}.npy files");
  }

  private static FrameFeatures fromSharedFile(MsrvttFiles files, List<String> videoIds, int maxFrames) {
    NpyArray all = NpyArray.open(files.featuresNpy()).requireFloating();
    if (all.ndim() != 2 && all.ndim() != 3) {
      throw new InvalidInputException(files.featuresNpy() + ": expected 3 dimensions (videos × frames × features) "
          + "or 2 (videos × features), got shape " + Arrays.toString(all.shape()));
    }
    List<String> ids = TextLines.read(files.videoIds(), "video id list");
    if (ids.size() != all.dim(0)) {
      throw new InvalidInputException(files.videoIds() + ": has " + ids.size() + " video ids, but "
          + files.featuresNpy() + " has " + all.dim(0) + " rows; expected one id per row");
    }
    Map<String, Integer> rowOf = new HashMap<>();
    for (int r = 0; r < ids.size(); r++) {
      Integer before = rowOf.put(ids.get(r).trim(), r);
      if (before != null) {
        throw new InvalidInputException(files.videoIds() + ": video id '" + ids.get(r).trim()
            + "' appears on lines " + (before + 1) + " and " + (r + 1));
      }
    }
    int stored = all.ndim() == 3 ? Math.toIntExact(all.dim(1)) : 1;
    int dim = Math.toIntExact(all.dim(all.ndim() - 1));
    if (stored == 0 || dim == 0) {
      throw new InvalidInputException(files.featuresNpy() + ": empty frames, shape " + Arrays.toString(all.shape()));
    }
    int n = videoIds.size();
    NpyArray[] arrays = new NpyArray[n];
    long[] first = new long[n];
    int[] frames = new int[n];
    for (int v = 0; v < n; v++) {
      Integer row = rowOf.get(videoIds.get(v));
      if (row == null) {
        throw new InvalidInputException(files.videoIds() + ": has no entry for video '" + videoIds.get(v)
            + "', so " + files.featuresNpy() + " has no features for it");
      }
      arrays[v] = all;
      first[v] = (long) row * all.rowSize();
      frames[v] = stored;
    }
    return new FrameFeatures(arrays, first, frames, Math.min(stored, maxFrames), dim);
  }

  private static FrameFeatures fromDirectory(Path dir, List<String> videoIds, int maxFrames) {
    int n = videoIds.size();
    NpyArray[] arrays = new NpyArray[n];
    long[] first = new long[n];
    int[] frames = new int[n];
    int dim = -1;
    Path dimSource = null;
    int longest = 0;
    for (int v = 0; v < n; v++) {
      Path file = dir.resolve(videoIds.get(v) + ".npy");
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException(
            file + ": frame features of video '" + videoIds.get(v) + "' not found in " + dir);
      }
      NpyArray a = NpyArray.open(file).requireFloating().requireDims(2, "frames × features");
      if (a.dim(0) == 0) {
        throw new InvalidInputException(file + ": has no frames, shape " + Arrays.toString(a.shape()));
      }
      int d = Math.toIntExact(a.dim(1));
      if (dim < 0) {
        dim = d;
        dimSource = file;
      } else if (d != dim) {
        throw new InvalidInputException(
            file + ": feature dimension " + d + " differs from " + dim + " in " + dimSource);
      }
      arrays[v] = a;
      frames[v] = Math.toIntExact(a.dim(0));
      longest = Math.max(longest, frames[v]);
    }
    return new FrameFeatures(arrays, first, frames, Math.min(longest, maxFrames), Math.max(dim, 0));
  }

  int slots() {
    return slots;
  }

  int dim() {
    return dim;
  }

  /** Frames stored for video {@code v} before sampling or padding. */
  int storedFrames(int v) {
    return frames[v];
  }

  int read(int v, float[] dst, int offset) {
    int f = frames[v];
    if (f <= slots) {
      arrays[v].readFloats(firstElement[v], dst, offset, f * dim);
      Arrays.fill(dst, offset + f * dim, offset + slots * dim, 0f);
      return f;
    }
    for (int j = 0; j < slots; j++) {
      // numpy.linspace(0, f - 1, slots).astype(int): floor of evenly spaced positions
      long frame = slots == 1 ? 0 : (long) j * (f - 1) / (slots - 1);
      arrays[v].readFloats(firstElement[v] + frame * dim, dst, offset + j * dim, dim);
    }
    return slots;
  }
}
