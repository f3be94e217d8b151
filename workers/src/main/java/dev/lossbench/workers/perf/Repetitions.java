package dev.lossbench.workers.perf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The timing harness: a small hand-rolled one, not JMH. Why: the operations measured here take
 * from milliseconds to seconds (a training step, a 5K × 25K evaluation), run on a native engine
 * whose own threads do the work, and must be compared <em>side by side</em> on shared, noisy
 * machines. JMH's strengths — defeating JIT dead-code elimination and timing nanosecond loops in
 * forked JVMs — do not apply to seconds-long native calls, and its forks would measure the two
 * sides of a ratio in different processes at different times. What matters here is that both
 * sides of a ratio see the same noise: so every task is warmed up, then the tasks run
 * <em>interleaved</em> (round r runs each task once, in an order rotated every round), and each
 * task's figure is the <em>median</em> of its rounds, which a burst of foreign load in one round
 * does not move.
 */
public final class Repetitions {
  private Repetitions() {}

  /** One named piece of work; {@link #run()} must finish the work (the engine is synchronous on CPU). */
  public interface Task {
    void run() throws Exception;
  }

  /**
   * @return the median seconds of each task, in the order given
   */
  public static double[] medians(List<Task> tasks, int warmup, int rounds) {
    int n = tasks.size();
    List<double[]> samples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      samples.add(new double[rounds]);
    }
    try {
      for (int w = 0; w < warmup; w++) {
        for (Task t : tasks) {
          t.run();
        }
      }
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < n; k++) {
          int i = (k + r) % n;
          long t0 = System.nanoTime();
          tasks.get(i).run();
          samples.get(i)[r] = (System.nanoTime() - t0) / 1e9;
        }
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = median(samples.get(i));
    }
    return out;
  }

  public static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
}
