package dev.lossbench.schema.record;

/**
 * The final evaluation of a run under one test protocol.
 *
 * @param split the protocol: {@code test}, {@code coco1k} (5-fold mean), {@code coco5k}, {@code msrvtt1ka}, ...
 * @param i2tMedianRank 1-based median rank of the first correct text, image to text
 */
public record Result(
    String runId,
    String split,
    Recalls recalls,
    double i2tMedianRank,
    double i2tMeanRank,
    double t2iMedianRank,
    double t2iMeanRank) {

  public Result {
    Require.text(runId, "run id");
    Require.text(split, "split");
    Require.present(recalls, "recalls");
    Require.rank(i2tMedianRank, "i2t median rank");
    Require.rank(i2tMeanRank, "i2t mean rank");
    Require.rank(t2iMedianRank, "t2i median rank");
    Require.rank(t2iMeanRank, "t2i mean rank");
  }

  public double rsum() {
    return recalls.rsum();
  }
}
