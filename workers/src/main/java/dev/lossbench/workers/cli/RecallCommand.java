package dev.lossbench.workers.cli;

import ai.djl.ndarray.NDManager;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.engine.EngineSettings;
import dev.lossbench.retrieval.eval.DenseSimilarities;
import dev.lossbench.retrieval.eval.EmbeddingSimilarities;
import dev.lossbench.retrieval.eval.RecallAtK;
import dev.lossbench.retrieval.eval.RecallMetrics;
import dev.lossbench.retrieval.eval.SimilaritySource;
import dev.lossbench.retrieval.npy.NpyArray;
import dev.lossbench.workers.output.JsonOutput;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lossbench recall}: the VSE Recall@K protocol on a similarity matrix or on embeddings. */
@Command(name = "recall", mixinStandardHelpOptions = true, description = {
    "Image↔text Recall@K under the standard VSE protocol, printed as one JSON object with keys"
        + " i2t_r1 i2t_r5 i2t_r10 t2i_r1 t2i_r5 t2i_r10 rsum i2t_medr i2t_meanr t2i_medr t2i_meanr.",
    "Caption c belongs to image floor(c / K). Image→text takes the best rank over the image's K captions;"
        + " ranks count candidates with a strictly higher score, and equal scores with a lower index (ties: lower index first)."
        + " medr = floor(median rank) + 1, meanr = mean rank + 1 (1-based).",
    "With --images/--captions the similarity is the plain dot product of the given rows, with NO normalisation:"
        + " pass L2-normalised embeddings for cosine similarity. The matrix is computed tile by tile, never whole.",
    "",
})
final class RecallCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--sims", paramLabel = "S.npy", required = true, description = "images × (K·images) similarities, float32 or float64; memory-mapped, never read whole")
    Path sims;

    @ArgGroup(exclusive = false)
    Embeddings embeddings;
  }

  static final class Embeddings {
    @Option(names = "--images", paramLabel = "I.npy", required = true, description = "N × D image embeddings")
    Path images;

    @Option(names = "--captions", paramLabel = "C.npy", required = true, description = "(K·N) × D caption embeddings, K consecutive rows per image")
    Path captions;
  }

  @Option(names = {"-k",
      "--captions-per-image"}, required = true, paramLabel = "K", description = "captions per image: 5 for Flickr30K/COCO, 1 for MSR-VTT 1k-A")
  int captionsPerImage;

  @Option(names = "--folds", paramLabel = "F", description = "average over F equal folds of images and their captions (COCO 1K: --folds 5 on the 5K test)")
  Integer folds;

  @Override
  public Integer call() {
    RecallAtK recall = new RecallAtK(captionsPerImage);
    if (folds != null && folds < 1) {
      throw new InvalidInputException("--folds must be >= 1, got " + folds);
    }
    RecallMetrics metrics;
    if (input.sims != null) {
      NpyArray s = NpyArray.open(input.sims).requireDims(2, "images × captions similarities").requireFloating();
      requireCaptions(s.dim(0), s.dim(1), input.sims + " has " + s.dim(1) + " columns");
      metrics = evaluate(recall, DenseSimilarities.of(s));
    } else {
      NpyArray images = NpyArray.open(input.embeddings.images).requireDims(2, "images × dimension embeddings");
      NpyArray captions = NpyArray.open(input.embeddings.captions).requireDims(2, "captions × dimension embeddings");
      requireCaptions(images.dim(0), captions.dim(0), input.embeddings.captions + " has " + captions.dim(0) + " rows");
      try (NDManager m = EngineSettings.newBaseManager();
          EmbeddingSimilarities sims = EmbeddingSimilarities.fromFiles(m, images, captions)) {
        metrics = evaluate(recall, sims);
      }
    }
    JsonOutput.print(spec.commandLine().getOut(), metrics.asMap());
    return LossbenchCommand.EXIT_OK;
  }

  private void requireCaptions(long images, long captions, String actual) {
    if (captions != images * captionsPerImage) {
      throw new InvalidInputException("expected " + captionsPerImage + " captions per image: " + images
          + " images need " + images * captionsPerImage + " captions, but " + actual);
    }
  }

  private RecallMetrics evaluate(RecallAtK recall, SimilaritySource sims) {
    return folds == null ? recall.evaluate(sims) : recall.evaluateFolds(sims, folds);
  }
}
