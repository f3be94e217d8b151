package dev.lossbench.workers.report;

import java.util.List;

/**
 * A per-epoch line chart: one curve per loss variant, each optionally over a shaded band (the spread
 * over seeds). Each variant is one {@code <g class="series" data-variant="…">} holding its band, one
 * {@code <polyline class="curve">} and a marker per epoch, so a curve with a single epoch still shows.
 */
final class EpochChart {
  /** A curve's value at an epoch. */
  record Point(int epoch, double value) {}

  /** The band's extent at an epoch. */
  record Band(int epoch, double low, double high) {}

  /**
   * One variant's curve. Callers leave out epochs without a finite value.
   *
   * @param band may be empty; drawn when it has two epochs or more
   */
  record Series(String variant, List<Point> points, List<Band> band) {
    Series {
      points = List.copyOf(points);
      band = List.copyOf(band);
    }
  }

  private EpochChart() {}

  /**
   * The chart's SVG.
   *
   * @param chart the {@code data-chart} name, e.g. {@code convergence}
   * @param series at least one point in all
   * @throws IllegalArgumentException when there is nothing to draw
   */
  static String render(String chart, String title, String yLabel, List<Series> series, VariantStyles styles) {
    int firstEpoch = Integer.MAX_VALUE;
    int lastEpoch = Integer.MIN_VALUE;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (Point p : s.points()) {
        firstEpoch = Math.min(firstEpoch, p.epoch());
        lastEpoch = Math.max(lastEpoch, p.epoch());
        min = Math.min(min, p.value());
        max = Math.max(max, p.value());
      }
      for (Band b : s.band()) {
        min = Math.min(min, b.low());
        max = Math.max(max, b.high());
      }
    }
    if (firstEpoch > lastEpoch) {
      throw new IllegalArgumentException("no points to draw in chart " + chart);
    }
    LinearScale x = LinearScale.integers(firstEpoch, lastEpoch, 8, ChartFrame.plotLeft(), ChartFrame.plotRight());
    LinearScale y = ChartFrame.yScale(min, max);

    Svg svg = new Svg(chart, ChartFrame.WIDTH, ChartFrame.HEIGHT, title);
    ChartFrame.title(svg, title);
    ChartFrame.yAxis(svg, y, yLabel);
    ChartFrame.xAxis(svg, x, "epoch");
    for (Series s : series) {
      if (!s.points().isEmpty()) {
        drawSeries(svg, s, x, y, styles.of(s.variant()));
      }
    }
    return svg.finish();
  }

  private static void drawSeries(Svg svg, Series s, LinearScale x, LinearScale y, VariantStyles.Style style) {
    svg.open("g", "class", "series", "data-variant", s.variant());
    svg.withText("title", s.variant());
    if (s.band().size() >= 2) {
      // the upper edge left to right, then the lower edge back
      int n = s.band().size();
      double[] xs = new double[2 * n];
      double[] ys = new double[2 * n];
      for (int i = 0; i < n; i++) {
        Band b = s.band().get(i);
        xs[i] = x.map(b.epoch());
        ys[i] = y.map(b.high());
        xs[2 * n - 1 - i] = x.map(b.epoch());
        ys[2 * n - 1 - i] = y.map(b.low());
      }
      svg.element("polygon", "class", "band", "points", Svg.points(xs, ys), "fill", style.colour());
    }
    double[] xs = s.points().stream().mapToDouble(p -> x.map(p.epoch())).toArray();
    double[] ys = s.points().stream().mapToDouble(p -> y.map(p.value())).toArray();
    svg.element("polyline", "class", "curve", "points", Svg.points(xs, ys), "stroke", style.colour(),
        "stroke-dasharray", style.dash().isEmpty() ? null : style.dash());
    for (int i = 0; i < xs.length; i++) {
      svg.element("circle", "class", "marker", "cx", Svg.n(xs[i]), "cy", Svg.n(ys[i]), "r", "2.5",
          "fill", style.colour());
    }
    svg.close("g");
  }
}
