package dev.lossbench.workers.perf;

/**
 * The problem sizes of one bench run. {@link #full()} is the (VSE∞ on Flickr30K/COCO
 * shapes), {@link #quick()} fits in under three minutes on two cores, {@link #tiny()} only checks
 * that the harness works (tests).
 */
public record BenchSizes(
    String label,
    int[] lossBatches, int lossWarmup, int lossRounds,
    int recallImages, int embedDim, int recallRounds,
    int floorSize,
    int stepBatch, int regions, int regionDim, int stepEmbed, int wordDim, int words, int vocab, int stepRounds,
    int dataImages, int dataRounds,
    int orchestrationRuns,
    int agreementBatch) {

  public static BenchSizes full() {
    return new BenchSizes("full", new int[]{128, 512, 2048}, 3, 15, 5000, 1024, 5, 2048,
        128, 36, 2048, 1024, 300, 20, 10000, 5, 1024, 5, 50, 512);
  }

  public static BenchSizes quick() {
    return new BenchSizes("quick", new int[]{128, 512, 1024}, 2, 9, 1000, 1024, 5, 2048,
        64, 36, 2048, 1024, 300, 20, 10000, 3, 256, 5, 8, 256);
  }

  public static BenchSizes tiny() {
    return new BenchSizes("tiny", new int[]{16, 32}, 1, 3, 40, 32, 3, 128,
        8, 4, 32, 32, 16, 5, 50, 2, 16, 2, 2, 16);
  }

  public int recallCaptions() {
    return recallImages * 5;
  }
}
