package dev.lossbench.retrieval.eval;

/**
 * 0-based ranks of every query under the VSE protocol. Image i's captions are
 * {@code [i·K, (i+1)·K)}; caption c's image is {@code c / K}.
 *
 * @param i2t per image: the best (lowest) rank among its K ground-truth captions
 * @param t2i per caption: the rank of its one image
 */
public record RetrievalRanks(int[] i2t, int[] t2i) {
  public RecallMetrics metrics() {
    return RecallMetrics.fromRanks(i2t, t2i);
  }
}
