package dev.lossbench.workers.activities;

import java.util.Locale;

/**
 * Whether an attempt failed for lack of memory, and the one line that says what to change. A retry on the same
 * worker with the same settings runs out again (an issue's run: seven attempts, 36 minutes), so such a failure is
 * not retried. Two kinds: the Java heap ({@link OutOfMemoryError}) and libtorch's allocators, whose refusals DJL
 * reports as an engine exception carrying libtorch's text.
 */
final class ResourceExhaustion {
  /** libtorch's words: the CPU allocator ({@code DefaultCPUAllocator: not enough memory}), CUDA's and the OS's. */
  private static final String[] NATIVE_WORDS = {"not enough memory", "out of memory", "can't allocate memory"};

  private ResourceExhaustion() {}

  /** The one-line explanation when {@code e} (or a cause) is an allocation failure; null otherwise. */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        long max = Runtime.getRuntime().maxMemory();
        return "out of memory: the Java heap (" + t.getMessage() + ", limit " + gib(max)
            + ") is too small for this run:"
            + " start lossbench with LOSSBENCH_JAVA_OPTS=-Xmx" + (long) Math.ceil(2.0 * max / (1L << 30)) + "g"
            + " (twice today's limit) or lower training: batch_size; not retried on the same settings";
      }
      String m = t.getMessage();
      if (m != null && isNative(m)) {
        return "out of memory in libtorch (" + lastLine(m) + "): lower training: batch_size (or image_size), or run on"
            + " a machine with more memory; not retried on the same settings";
      }
    }
    return null;
  }

  private static boolean isNative(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    for (String w : NATIVE_WORDS) {
      if (m.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** libtorch's messages are traces; the allocator's own sentence is the line that names memory. */
  private static String lastLine(String m) {
    String[] lines = m.strip().split("\n");
    for (String line : lines) {
      if (isNative(line)) {
        return line.strip();
      }
    }
    return lines[lines.length - 1].strip();
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }
}
