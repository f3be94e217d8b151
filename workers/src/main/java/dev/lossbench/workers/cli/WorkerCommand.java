package dev.lossbench.workers.cli;

import ai.djl.Device;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.schema.MetricsStore;
import dev.lossbench.workers.stack.TemporalConnection;
import dev.lossbench.workers.stack.TemporalOutages;
import dev.lossbench.workers.stack.WorkerHost;
import dev.lossbench.workflows.TaskQueues;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lossbench worker}: serve task queues of a Temporal cluster until stopped. */
@Command(name = "worker", mixinStandardHelpOptions = true, description = {
    "Serves lossbench's task queues: gpu (training and evaluation, one training at a time per process),"
        + " cpu (dataset preparation, store bookkeeping) and lossbench-workflows (workflow tasks). The default, gpu,cpu,"
        + " leaves workflow tasks to 'lossbench server' (or, on a cluster, to a CPU worker given --queues"
        + " lossbench-workflows,cpu); a worker that serves them keeps no sticky cache, so its death strands no workflow.",
    "With --temporal the metrics store must come from LOSSBENCH_DB_URL (+ LOSSBENCH_DB_USER, LOSSBENCH_DB_PASSWORD): without"
        + " it the worker refuses to start (exit 2). Every worker must see the same --artifacts directory (a shared volume"
        + " on Kubernetes). Logs one line per activity start and end. Stops on SIGTERM/SIGINT.",
    "Exit codes: 0 stopped, 2 bad options.",
    ""})
final class WorkerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--queues", defaultValue = "gpu,cpu", paramLabel = "Q,Q", description = "comma-separated task queues to serve (default: ${DEFAULT-VALUE})")
  String queues;

  @Mixin
  StackOptions stack;

  @Mixin
  EngineOptions engine;

  @Option(names = "--gpus", paramLabel = "N,N", description = "serve the gpu queue with one child worker process per listed GPU (each started with --device cuda:N);"
      + " this process serves the other queues. DJL's autograd mode is process-global, so one process trains on one GPU.")
  String gpus;

  @Override
  public Integer call() throws InterruptedException {
    stack.requireClusterStore();
    Set<String> chosen = new LinkedHashSet<>(Arrays.asList(queues.split("\\s*,\\s*")));
    try {
      TaskQueues.requireKnown(chosen);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("--queues: " + e.getMessage());
    }
    List<Process> children = new ArrayList<>();
    if (gpus != null) {
      int[] ids = EngineOptions.gpus(gpus);
      if (engine.device != null) {
        throw new InvalidInputException(
            "--gpus and --device: give one (--gpus starts one process per GPU, each with its --device)");
      }
      if (chosen.remove(TaskQueues.GPU)) {
        for (int id : ids) {
          EngineSettings.check(Device.gpu(id));
        }
        for (int id : ids) {
          children.add(startGpuChild(id));
        }
      }
      if (chosen.isEmpty()) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> children.forEach(Process::destroy)));
        for (Process p : children) {
          p.waitFor();
        }
        return LossbenchCommand.EXIT_OK;
      }
    } else {
      engine.apply();
    }
    EngineSettings.applyThreads(engine.threads);
    String target = stack.temporal != null ? stack.temporal : "127.0.0.1:7233";
    String identity = ManagementFactory.getRuntimeMXBean().getName();
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    try (MetricsStore store = MetricsStore.open(stack.lossbenchHome().database());
        TemporalConnection connection = TemporalConnection.connect(target, stack.namespace, identity);
        WorkerHost host = WorkerHost.start(connection.client(), chosen, store, stack.artifactsDir(), identity, false);
        TemporalOutages outages = TemporalOutages.watch(connection, spec.commandLine().getErr())) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        children.forEach(Process::destroy);
        stop.countDown();
      }));
      out.println("worker " + identity + " serving " + String.join(", ", chosen) + " on " + target + " (namespace "
          + stack.namespace + "), store: " + store.database().description() + ", artifacts: " + stack.artifactsDir());
      out.flush();
      stop.await();
    }
    return LossbenchCommand.EXIT_OK;
  }

  /** A child {@code lossbench worker --queues gpu --device cuda:N} with this command's other options, its output inherited. */
  private Process startGpuChild(int gpu) {
    List<String> launcher = new ArrayList<>();
    launcher.add(ProcessHandle.current().info().command().orElse("java"));
    launcher.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    launcher.addAll(List.of("-cp", System.getProperty("java.class.path"), LossbenchCommand.class.getName()));
    List<String> cmd = childCommand(launcher, spec.commandLine().getParseResult().originalArgs(), gpu);
    try {
      return new ProcessBuilder(cmd).inheritIO().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the worker for GPU " + gpu, e);
    }
  }

  /**
   * The command line of the child worker for GPU {@code gpu}: {@code launcher} (the JVM and its
   * arguments, up to the main class), then {@code worker} with this command's arguments {@code args}
   * less {@code --gpus}, {@code --queues} and {@code --device} (either spelling: {@code --x v} or
   * {@code --x=v}), then {@code --queues gpu --device cuda:N}.
   */
  static List<String> childCommand(List<String> launcher, List<String> args, int gpu) {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add("worker");
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      boolean joined = a.contains("=");
      String name = joined ? a.substring(0, a.indexOf('=')) : a;
      if (name.equals("--gpus") || name.equals("--queues") || name.equals("--device")) {
        if (!joined) {
          i++;
        }
        continue;
      }
      cmd.add(a);
    }
    cmd.addAll(List.of("--queues", TaskQueues.GPU, "--device", "cuda:" + gpu));
    return cmd;
  }
}
