package dev.lossbench.retrieval.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what a piece of engine work costs a GPU, without one: libtorch's profiler (DJL's
 * {@code JniUtils.startProfile}/{@code stopProfile}, a chrome-trace JSON) around the work gives the
 * engine operations dispatched, each of which is at least one kernel launch on a GPU; {@link HostReads}
 * gives the values read into Java (device→host copies that wait for the device on a GPU, invisible to
 * the profiler on the CPU because DJL reads CPU memory directly); the profiler's
 * {@code aten::_local_scalar_dense} ({@code item()}) events are added to them.
 *
 * <p>An operation is counted when it is an {@code aten::} event not nested in another {@code aten::} event
 * of the same thread (e.g. {@code aten::linear} counts once, not with the {@code aten::addmm} inside it) — the
 * rule {@code benchmarks/vse_step.py --count-ops} applies to PyTorch's profiler, so the two counts compare.
 */
public final class OpProfile {
  /** Counts over {@code repeats} runs of the work, and per run. */
  public record Counts(int repeats, long ops, long hostReads, long scalarReads, long copies, Map<String, Long> byName) {
    public double opsPerRun() {
      return ops / (double) repeats;
    }

    public double hostReadsPerRun() {
      return (hostReads + scalarReads) / (double) repeats;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private OpProfile() {}

  /** Whether the engine offers the profiler (the PyTorch engine does). */
  public static boolean available() {
    return "PyTorch".equals(Engine.getInstance().getEngineName());
  }

  /** Runs {@code work} {@code repeats} times under the profiler (after the caller's warm-up) and counts. */
  public static Counts count(Runnable work, int repeats, Path scratch) {
    Path trace = scratch.resolve("op-profile-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".json");
    long reads0 = HostReads.count();
    JniUtils.startProfile(false, false, false);
    try {
      for (int i = 0; i < repeats; i++) {
        work.run();
      }
    } finally {
      JniUtils.stopProfile(trace.toString());
    }
    long reads = HostReads.count() - reads0;
    try {
      return parse(Files.readString(trace), repeats, reads);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        Files.deleteIfExists(trace);
      } catch (IOException ignored) {
        // scratch
      }
    }
  }

  private record Event(String name, double ts, double end, long tid) {}

  static Counts parse(String chromeTrace, int repeats, long hostReads) throws IOException {
    JsonNode root = JSON.readTree(chromeTrace);
    List<Event> events = new ArrayList<>();
    for (JsonNode e : root) {
      String name = e.path("name").asText();
      if (name.startsWith("aten::")) {
        double ts = e.path("ts").asDouble();
        events.add(new Event(name, ts, ts + e.path("dur").asDouble(), e.path("tid").asLong()));
      }
    }
    events.sort(Comparator.comparingLong(Event::tid).thenComparingDouble(Event::ts)
        .thenComparing(Comparator.comparingDouble(Event::end).reversed()));
    long ops = 0;
    long scalar = 0;
    long copies = 0;
    Map<String, Long> byName = new TreeMap<>();
    Deque<Event> open = new ArrayDeque<>();
    long tid = Long.MIN_VALUE;
    for (Event e : events) {
      if (e.tid() != tid) {
        open.clear();
        tid = e.tid();
      }
      while (!open.isEmpty() && open.peek().end() <= e.ts()) {
        open.pop();
      }
      if (e.name().equals("aten::_local_scalar_dense")) {
        scalar++; // item(): a device→host read, wherever it is nested
      }
      if (open.isEmpty()) {
        ops++;
        byName.merge(e.name(), 1L, Long::sum);
        if (e.name().equals("aten::to") || e.name().equals("aten::_to_copy") || e.name().equals("aten::copy_")) {
          copies++;
        }
      }
      open.push(e);
    }
    return new Counts(repeats, ops, hostReads, scalar, copies, byName);
  }
}
