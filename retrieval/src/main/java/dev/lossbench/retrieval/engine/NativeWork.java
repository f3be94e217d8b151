package dev.lossbench.retrieval.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps long libtorch calls out of the process's exit.
 *
 * <p>When the JVM exits ({@code System.exit}, Ctrl-C, SIGTERM, the end of a test fork) it waits at
 * most ~300 ms for threads inside native code, then calls the C library's {@code exit()}, which runs
 * libtorch's static destructors — among them the device hooks that the autograd engine asks, for
 * every node of a backward pass, which accelerator is present ({@code at::accelerator::getAccelerator}).
 * A backward pass still running then dereferences a destroyed hook and the process dies with SIGSEGV
 * (and an {@code hs_err} file) instead of its exit code. Reproduced every time with a backward pass
 * of ~1 s and {@code System.exit} called during it; see {@code ExitDuringTrainingTest}.
 *
 * <p>Each training step and each encoded batch runs as one {@link #call unit}. A shutdown hook lets the
 * units in flight finish (at most {@link #DRAIN_LIMIT}), and any unit that would start afterwards waits
 * for the process to end instead: it is not failed, so nothing about the run is written during the
 * exit — the run resumes from its last checkpoint like any interrupted run. {@code Runtime.halt} runs
 * no hooks and stays unprotected (a JVM halted mid-step may still crash on its way out).
 */
public final class NativeWork {
  /**
   * Longer than any step we expect on a loaded machine, shorter than Kubernetes' 30 s grace period. The system
   * property {@code lossbench.exitDrainSeconds} overrides it (a pod given a longer grace period; a test on a machine
   * so loaded that one step outlasts 25 s).
   */
  static final Duration DRAIN_LIMIT = Duration.ofSeconds(Math.max(1, Long.getLong("lossbench.exitDrainSeconds", 25)));

  private static final Logger LOG = LoggerFactory.getLogger(NativeWork.class);
  private static final ReentrantReadWriteLock GATE = new ReentrantReadWriteLock();
  /** Units this thread is inside: a nested unit runs as part of the outer one. */
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private static volatile boolean exiting;

  static {
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(NativeWork::drain, "lossbench-native-drain"));
    } catch (IllegalStateException shutdownInProgress) {
      exiting = true;
    }
  }

  private NativeWork() {}

  /** Runs {@code work} as one unit: the process's exit waits for it, and it does not start once the exit has begun. */
  public static <T> T call(Supplier<T> work) {
    int[] depth = DEPTH.get();
    if (depth[0] > 0) {
      return work.get();
    }
    GATE.readLock().lock();
    if (exiting) {
      GATE.readLock().unlock();
      waitForTheEnd();
    }
    depth[0]++;
    try {
      return work.get();
    } finally {
      depth[0]--;
      GATE.readLock().unlock();
    }
  }

  /** The shutdown hook: new units wait; the ones in flight are waited for. */
  private static void drain() {
    exiting = true;
    long start = System.nanoTime();
    try {
      if (GATE.writeLock().tryLock(DRAIN_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (ms >= 50) {
          LOG.info("exit waited {} ms for the running training step or encoding batch to finish", ms);
        }
        return; // held for good: the process is ending
      }
      LOG.warn("exit did not wait longer than {} s for a running training step; the process may crash on its way out",
          DRAIN_LIMIT.toSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Parks this thread until the JVM is gone; interrupts are ignored (returning would start native work). */
  private static void waitForTheEnd() {
    while (true) {
      LockSupport.park(NativeWork.class);
    }
  }
}
