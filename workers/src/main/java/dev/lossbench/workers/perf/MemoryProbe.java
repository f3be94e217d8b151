package dev.lossbench.workers.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/** The process's resident set from {@code /proc/self/status} (Linux): heap and native alike. */
final class MemoryProbe {
  private static final Path STATUS = Path.of("/proc/self/status");

  private MemoryProbe() {}

  /** Resets VmHWM to the current resident set; false where that is not possible. */
  static boolean resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return peakResidentKiB() > 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The peak extra resident memory (MiB) while {@code work} runs: the larger of VmHWM after a reset
   * ({@code echo 5 > /proc/self/clear_refs}, where the kernel allows it) and VmRSS sampled every
   * 2 ms by a thread, minus VmRSS before; NaN when /proc is not readable.
   */
  static double peakExtraMiB(Runnable work) {
    long before = residentKiB();
    if (before < 0) {
      work.run();
      return Double.NaN;
    }
    boolean hwm = resetPeak() && peakResidentKiB() <= before + 1024;
    long[] sampled = {before};
    AtomicBoolean done = new AtomicBoolean();
    Thread sampler = new Thread(() -> {
      while (!done.get()) {
        sampled[0] = Math.max(sampled[0], residentKiB());
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
    try {
      work.run();
    } finally {
      done.set(true);
      try {
        sampler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long peak = Math.max(sampled[0], hwm ? peakResidentKiB() : 0);
    return (peak - before) / 1024.0;
  }

  static long residentKiB() {
    return field("VmRSS:");
  }

  static long peakResidentKiB() {
    return field("VmHWM:");
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
