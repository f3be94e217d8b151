package dev.lossbench.workers.cli;

import ai.djl.Device;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.engine.EngineSettings;
import picocli.CommandLine.Option;

/**
 * {@code --device}, {@code --threads} and {@code --offline} for the commands that compute ({@code run}, {@code resume},
 * {@code worker}, {@code bench}): applied before the engine loads, decided in {@link EngineSettings}.
 */
final class EngineOptions {
  @Option(names = "--device", paramLabel = "DEVICE", description = "cpu, cuda or cuda:N (default: LOSSBENCH_DEVICE, else the engine's: the first GPU when libtorch has CUDA)")
  String device;

  @Option(names = "--threads", paramLabel = "N", description = "libtorch intra-op threads (default: the CPUs available to this process, cgroup quota and affinity included)")
  Integer threads;

  @Option(names = "--offline", arity = "0..1", fallbackValue = "true", paramLabel = "true|false", description = "never download libtorch (DJL's ai.djl.offline); default: LOSSBENCH_OFFLINE, else true unless"
      + " PYTORCH_FLAVOR names a CUDA flavour (cu128, ...) without PYTORCH_LIBRARY_PATH (then DJL downloads it)")
  Boolean offline;

  /** Applies the options (before the engine loads) and checks the device; returns it. Bad values: one line, exit 2. */
  Device apply() {
    if (offline != null) {
      System.setProperty(EngineSettings.OFFLINE_PROPERTY, offline.toString());
    }
    if (device != null) {
      EngineSettings.check(EngineSettings.parse(device, "--device"));
      System.setProperty(EngineSettings.DEVICE_PROPERTY, device.trim());
    }
    if (threads != null && threads < 1) {
      throw new InvalidInputException("--threads: " + threads + " is not a thread count (expected 1 or more)");
    }
    EngineSettings.applyThreads(threads);
    return EngineSettings.device();
  }

  /** {@code --gpus 0,1}: the GPU indices, each a {@code cuda:N} device, each once; anything else is a one-line error. */
  static int[] gpus(String list) {
    String bad = "--gpus: '" + list + "' is not a list of GPU indices (e.g. 0,1)";
    String[] parts = list.split(",", -1);
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].strip();
      if (!part.matches("\\d{1,3}")) {
        throw new InvalidInputException(bad);
      }
      out[i] = Integer.parseInt(part);
      for (int j = 0; j < i; j++) {
        if (out[j] == out[i]) {
          throw new InvalidInputException(
              "--gpus: GPU " + out[i] + " is listed twice in '" + list + "' (one worker process per GPU)");
        }
      }
    }
    return out;
  }
}
