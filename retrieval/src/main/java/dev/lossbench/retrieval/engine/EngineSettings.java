package dev.lossbench.retrieval.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.InvalidInputException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that decides where the engine computes and how many threads it uses: every base
 * manager of main code comes from {@link #newBaseManager()}.
 *
 * <ul>
 *   <li><b>device</b> — {@code cpu}, {@code cuda} (= {@code cuda:0}) or {@code cuda:N}: the system property
 *       {@value #DEVICE_PROPERTY} (the CLI's {@code --device}), else the environment variable
 *       {@code LOSSBENCH_DEVICE}, else the engine's default (the first GPU when libtorch has CUDA and one is
 *       visible, the CPU otherwise). Asking for CUDA from an engine without it is a one-line
 *       {@link InvalidInputException}.</li>
 *   <li><b>intra-op threads</b> — {@link #applyThreads(Integer)}, before the engine loads: the requested
 *       number, else the CPUs this process may use ({@link Runtime#availableProcessors()} honours cgroup
 *       quotas and CPU affinity in JDK 17; libtorch would size its pool from the host's cores).</li>
 *   <li><b>loss check interval</b> — a training step reads its loss (and gradient norm) to the host and
 *       checks them for NaN every N steps: {@value #CHECK_PROPERTY} / {@code LOSSBENCH_LOSS_CHECK_EVERY},
 *       default 1 on the CPU (a read is free there), {@value #GPU_CHECK_EVERY} on a GPU (each read
 *       synchronises the device).</li>
 *   <li><b>offline</b> — DJL's {@value #OFFLINE_PROPERTY} (never download libtorch), when nothing set it:
 *       {@link #offlineByDefault(Map)} of the environment, applied by {@link #applyOfflineDefault()}.</li>
 * </ul>
 */
public final class EngineSettings {
  public static final String DEVICE_PROPERTY = "lossbench.device";
  public static final String CHECK_PROPERTY = "lossbench.lossCheckEvery";
  public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
  public static final String OFFLINE_PROPERTY = "ai.djl.offline";
  public static final int GPU_CHECK_EVERY = 20;
  private static final Pattern DEVICE = Pattern.compile("cpu|cuda(?::(\\d{1,3}))?");

  private EngineSettings() {}

  /** {@code cpu}, {@code cuda}, {@code cuda:N} → a DJL device; anything else is a one-line error naming {@code what}. */
  public static Device parse(String value, String what) {
    Matcher m = DEVICE.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new InvalidInputException(what + ": '" + value + "' is not a device (expected cpu, cuda or cuda:N)");
    }
    if (m.group(0).equals("cpu")) {
      return Device.cpu();
    }
    return Device.gpu(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
  }

  /** The device's name as lossbench spells it: {@code cpu} or {@code cuda:N}. */
  public static String name(Device d) {
    return d.isGpu() ? "cuda:" + d.getDeviceId() : "cpu";
  }

  /** The chosen device, checked against the engine (one-line error when CUDA is asked of a CPU-only engine). */
  public static Device device() {
    String prop = System.getProperty(DEVICE_PROPERTY);
    String env = System.getenv("LOSSBENCH_DEVICE");
    Device d;
    if (prop != null && !prop.isBlank()) {
      d = parse(prop, "--device");
    } else if (env != null && !env.isBlank()) {
      d = parse(env, "LOSSBENCH_DEVICE");
    } else {
      return Engine.getInstance().defaultDevice();
    }
    return check(d);
  }

  /** {@code d} when the engine can compute there; a one-line {@link InvalidInputException} otherwise. */
  public static Device check(Device d) {
    if (d.isGpu()) {
      Engine engine = Engine.getInstance();
      int gpus = engine.getGpuCount();
      if (gpus == 0) {
        throw new InvalidInputException(
            "device " + name(d) + " asked for, but the " + engine.getEngineName() + " engine "
                + engine.getVersion() + " has no CUDA (a CPU libtorch, or no GPU visible); see README, GPU");
      }
      if (d.getDeviceId() >= gpus) {
        throw new InvalidInputException("device " + name(d) + " asked for, but only " + gpus + " GPU(s) are visible");
      }
    }
    return d;
  }

  /** A base manager on the chosen device: main code creates its base managers only here. */
  public static NDManager newBaseManager() {
    return NDManager.newBaseManager(device());
  }

  /**
   * Sets libtorch's intra-op threads before the engine loads (DJL's {@code PtEngine} reads
   * {@value #THREADS_PROPERTY} once): {@code requested} when given, else an explicit property
   * already set, else the CPUs available to the process. Returns the number set.
   */
  public static int applyThreads(Integer requested) {
    if (requested != null) {
      if (requested < 1) {
        throw new InvalidInputException("--threads: " + requested + " is not a thread count (expected 1 or more)");
      }
      System.setProperty(THREADS_PROPERTY, Integer.toString(requested));
      return requested;
    }
    String set = System.getProperty(THREADS_PROPERTY);
    if (set != null) {
      try {
        return Integer.parseInt(set.trim());
      } catch (NumberFormatException e) {
        throw new InvalidInputException("-D" + THREADS_PROPERTY + ": '" + set + "' is not a thread count");
      }
    }
    int cpus = Runtime.getRuntime().availableProcessors();
    System.setProperty(THREADS_PROPERTY, Integer.toString(cpus));
    return cpus;
  }

  /**
   * Offline unless the user asked otherwise ({@code LOSSBENCH_OFFLINE=false}) or asked for a CUDA flavour that DJL
   * must download ({@code PYTORCH_FLAVOR=cu…} without {@code PYTORCH_LIBRARY_PATH}): the bundled CPU natives and a
   * PyTorch of one's own need no network.
   */
  public static boolean offlineByDefault(Map<String, String> env) {
    String set = env.get("LOSSBENCH_OFFLINE");
    if (set != null && !set.isBlank()) {
      String v = set.trim().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false") && !v.equals("1") && !v.equals("0")) {
        throw new InvalidInputException("LOSSBENCH_OFFLINE: '" + set + "' (expected true or false)");
      }
      return v.equals("true") || v.equals("1");
    }
    String flavor = env.getOrDefault("PYTORCH_FLAVOR", "");
    return !(flavor.startsWith("cu") && env.getOrDefault("PYTORCH_LIBRARY_PATH", "").isBlank());
  }

  /**
   * Sets {@value #OFFLINE_PROPERTY} from {@link #offlineByDefault(Map)} of this process's environment, unless it is
   * set already ({@code -D}, {@code --offline}); before the engine loads.
   */
  public static void applyOfflineDefault() {
    if (System.getProperty(OFFLINE_PROPERTY) == null) {
      System.setProperty(OFFLINE_PROPERTY, Boolean.toString(offlineByDefault(System.getenv())));
    }
  }

  /** Training steps between host reads of the loss (≥ 1); see the class comment. */
  public static int lossCheckEvery(Device d) {
    String prop = System.getProperty(CHECK_PROPERTY);
    String raw = prop != null ? prop : System.getenv("LOSSBENCH_LOSS_CHECK_EVERY");
    if (raw == null || raw.isBlank()) {
      return d.isGpu() ? GPU_CHECK_EVERY : 1;
    }
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new InvalidInputException("loss check interval: '" + raw + "' is not a step count (expected 1 or more)");
  }

  /** Waits for the device's queued work (a no-op on the CPU): reads one element of {@code a}, which synchronises the stream. */
  public static void synchronize(NDArray a) {
    if (a.getDevice().isGpu()) {
      try (NDArray first = a.flatten().get(0)) {
        HostReads.bytes(first);
      }
    }
  }
}
