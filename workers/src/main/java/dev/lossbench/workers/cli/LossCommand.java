package dev.lossbench.workers.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.loss.LossContext;
import dev.lossbench.retrieval.loss.LossSpec;
import dev.lossbench.retrieval.loss.LossTerms;
import dev.lossbench.retrieval.loss.PairMask;
import dev.lossbench.retrieval.loss.RetrievalLoss;
import dev.lossbench.retrieval.npy.NpyArray;
import dev.lossbench.retrieval.npy.NpyDType;
import dev.lossbench.workers.output.JsonOutput;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lossbench loss}: one loss on a similarity matrix from any model. */
@Command(name = "loss", mixinStandardHelpOptions = true, description = {
    "Computes a retrieval loss on a B × B similarity matrix S (S[i][j] = sim(image_i, text_j), pair i's positive on the diagonal)"
        + " and prints {\"loss\": L, \"i2t\": A, \"t2i\": B}: i2t and t2i are the means over anchors of the per-anchor terms"
        + " (image→text over rows, text→image over columns); loss is the value the spec's reduction gives.",
    "",
})
final class LossCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--spec", required = true, paramLabel = "SPEC", description = "NAME or NAME:key=value,... e.g. unified:gamma=50,margin=0.2,normalize=true")
  String lossSpec;

  @Option(names = "--sims", required = true, paramLabel = "S.npy", description = "B × B similarities, float32 or float64 (float64 is computed in float64)")
  Path sims;

  @Option(names = "--groups", paramLabel = "G.npy", description = "one integer group (image) id per pair; pairs of one group are not negatives of each other")
  Path groups;

  @Option(names = "--epoch", defaultValue = "0", paramLabel = "N", description = "0-based training epoch, for triplet-hn's warm-up (default: ${DEFAULT-VALUE})")
  int epoch;

  @Override
  public Integer call() {
    RetrievalLoss loss = LossSpec.parse(lossSpec).create();
    NpyArray s = NpyArray.open(sims).requireDims(2, "B × B similarities").requireFloating();
    if (s.dim(0) != s.dim(1)) {
      throw new InvalidInputException(sims + ": expected a square B × B matrix, got " + s.dim(0) + " × " + s.dim(1));
    }
    int b = Math.toIntExact(s.dim(0));
    PairMask mask = groups == null ? PairMask.distinct(b) : PairMask.ofGroups(readGroups(b));
    double[] values = s.toDoubleArray();
    requireFinite(values, b);
    try (NDManager m = EngineSettings.newBaseManager()) {
      NDArray nd = s.dtype() == NpyDType.FLOAT64
          ? m.create(values, new Shape(b, b))
          : m.create(s.toFloatArray(), new Shape(b, b));
      LossContext ctx = LossContext.epoch(epoch);
      LossTerms terms = loss.terms(nd, mask, ctx);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("loss", scalar(loss.loss(nd, mask, ctx)));
      out.put("i2t", scalar(terms.i2t().mean()));
      out.put("t2i", scalar(terms.t2i().mean()));
      JsonOutput.print(spec.commandLine().getOut(), out);
    }
    return LossbenchCommand.EXIT_OK;
  }

  // a NaN or infinite similarity makes the loss NaN, which is no answer: reject it as bad input (exit 2)
  private void requireFinite(double[] values, int b) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new InvalidInputException(sims + ": similarity at row " + i / b + ", column " + i % b + " is " + values[i]
            + "; every similarity must be finite");
      }
    }
  }

  private long[] readGroups(int b) {
    NpyArray g = NpyArray.open(groups).requireDims(1, "one group id per pair");
    if (g.dim(0) != b) {
      throw new InvalidInputException(groups + ": " + g.dim(0) + " group ids for " + b + " pairs in " + sims);
    }
    return g.toLongArray();
  }

  private static double scalar(NDArray a) {
    return a.toType(DataType.FLOAT64, false).getDouble();
  }
}
