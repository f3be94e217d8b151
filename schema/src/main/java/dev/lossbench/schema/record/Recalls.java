package dev.lossbench.schema.record;

/**
 * Recall@1/5/10 in both directions, in percent (0..100) as the field reports them: i2t = image (or video) to
 * text, t2i = text to image.
 */
public record Recalls(double i2tR1, double i2tR5, double i2tR10, double t2iR1, double t2iR5, double t2iR10) {

  public Recalls {
    Require.percentage(i2tR1, "i2t R@1");
    Require.percentage(i2tR5, "i2t R@5");
    Require.percentage(i2tR10, "i2t R@10");
    Require.percentage(t2iR1, "t2i R@1");
    Require.percentage(t2iR5, "t2i R@5");
    Require.percentage(t2iR10, "t2i R@10");
  }

  /** The sum of the six recalls (0..600), the field's single-number summary. */
  public double rsum() {
    return i2tR1 + i2tR5 + i2tR10 + t2iR1 + t2iR5 + t2iR10;
  }
}
