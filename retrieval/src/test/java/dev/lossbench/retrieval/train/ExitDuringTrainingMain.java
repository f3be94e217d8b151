package dev.lossbench.retrieval.train;

import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.model.ModelSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM of {@link ExitDuringTrainingTest}: trains a model whose backward pass takes long, and
 * calls {@code System.exit(3)} from another thread while the trainer is inside libtorch's backward.
 * Prints what happened, in order, on stdout.
 */
public final class ExitDuringTrainingMain {
  static final int EXIT_CODE = 3;
  static final String EXITING = "exit requested during backward at step ";
  static final String STEP_DONE = "step done ";

  private ExitDuringTrainingMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    SyntheticFixture fixture = new SyntheticFixture(dir.resolve("data"), 256, 8);
    // wide and deep enough that one backward pass outlasts the JVM's ~300 ms wait for native threads
    ModelSpec model = ModelSpec.parse("vse-gpo:embed_dim=2048,word_dim=256");
    TrainingConfig config = TrainingConfig.fromMap(Map.of("epochs", 1, "batch_size", 256, "lr", 1e-4));
    TrainingLoop loop = new TrainingLoop(fixture.train, fixture.dev, model, LossSpec.parse("infonce"), config, 1);
    AtomicInteger steps = new AtomicInteger();
    Thread trainer = new Thread(() -> loop.run(dir.resolve("run"), new TrainingListener() {
      @Override
      public void onStep(int epoch, int step, int total, double loss, double samplesPerSecond) {
        steps.set(step + 1);
        System.out.println(STEP_DONE + step);
        System.out.flush();
      }
    }), "trainer");
    trainer.setDaemon(true);
    trainer.start();
    // the second step's backward (the first warms up): exit while the trainer is inside it
    while (true) {
      StackTraceElement[] stack = trainer.getStackTrace();
      if (steps.get() >= 1 && stack.length > 0 && stack[0].getMethodName().equals("torchBackward")) {
        System.out.println(EXITING + steps.get());
        System.out.flush();
        System.exit(EXIT_CODE);
      }
      if (!trainer.isAlive()) {
        System.out.println("training ended before an exit could be requested");
        System.exit(1);
      }
      Thread.sleep(2);
    }
  }
}
