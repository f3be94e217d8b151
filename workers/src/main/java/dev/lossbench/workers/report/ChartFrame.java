package dev.lossbench.workers.report;

import java.util.List;

/**
 * The parts every chart of the report shares: its size, the plot area inside the margins, the title,
 * the grid and the two axes with their labels. Styling (fonts, grey lines) is in the page's CSS.
 */
final class ChartFrame {
  static final int WIDTH = 540;
  static final int HEIGHT = 300;
  private static final double LEFT = 62;
  private static final double RIGHT = 18;
  private static final double TOP = 34;
  private static final double BOTTOM = 44;

  private ChartFrame() {}

  static double plotLeft() {
    return LEFT;
  }

  static double plotRight() {
    return WIDTH - RIGHT;
  }

  static double plotTop() {
    return TOP;
  }

  static double plotBottom() {
    return HEIGHT - BOTTOM;
  }

  /** A y scale over {@code [min, max]} running up the plot area. */
  static LinearScale yScale(double min, double max) {
    return LinearScale.covering(min, max, 6, plotBottom(), plotTop());
  }

  static void title(Svg svg, String title) {
    svg.withText("text", title, "class", "chart-title", "x", Svg.n(LEFT), "y", "20");
  }

  /** Horizontal grid lines at the y ticks, the tick labels, and the axis label written upwards. */
  static void yAxis(Svg svg, LinearScale y, String label) {
    svg.open("g", "class", "axis y-axis");
    for (double tick : y.ticks()) {
      String at = Svg.n(y.map(tick));
      svg.element("line", "class", "grid", "x1", Svg.n(plotLeft()), "x2", Svg.n(plotRight()), "y1", at, "y2", at);
      svg.withText("text", y.label(tick), "class", "tick", "x", Svg.n(plotLeft() - 6), "y", at,
          "text-anchor", "end", "dominant-baseline", "middle");
    }
    double middle = (plotTop() + plotBottom()) / 2;
    svg.withText("text", label, "class", "axis-label", "text-anchor", "middle",
        "transform", "translate(16," + Svg.n(middle) + ") rotate(-90)");
    svg.close("g");
  }

  /** The x axis line with ticks and labels at the scale's ticks, and the axis label below. */
  static void xAxis(Svg svg, LinearScale x, String label) {
    xAxisLine(svg);
    svg.open("g", "class", "axis x-axis");
    for (double tick : x.ticks()) {
      String at = Svg.n(x.map(tick));
      svg.element("line", "class", "tick-mark", "x1", at, "x2", at,
          "y1", Svg.n(plotBottom()), "y2", Svg.n(plotBottom() + 4));
      svg.withText("text", x.label(tick), "class", "tick", "x", at, "y", Svg.n(plotBottom() + 17),
          "text-anchor", "middle");
    }
    xAxisLabel(svg, label);
    svg.close("g");
  }

  /** An x axis of named categories (bar groups), each label centred at its position. */
  static void categoryAxis(Svg svg, List<String> labels, List<Double> centres, String label) {
    xAxisLine(svg);
    svg.open("g", "class", "axis x-axis");
    for (int i = 0; i < labels.size(); i++) {
      svg.withText("text", labels.get(i), "class", "tick", "x", Svg.n(centres.get(i)),
          "y", Svg.n(plotBottom() + 17), "text-anchor", "middle");
    }
    xAxisLabel(svg, label);
    svg.close("g");
  }

  private static void xAxisLine(Svg svg) {
    svg.element("line", "class", "axis-line", "x1", Svg.n(plotLeft()), "x2", Svg.n(plotRight()),
        "y1", Svg.n(plotBottom()), "y2", Svg.n(plotBottom()));
  }

  private static void xAxisLabel(Svg svg, String label) {
    svg.withText("text", label, "class", "axis-label", "x", Svg.n((plotLeft() + plotRight()) / 2),
        "y", Svg.n(HEIGHT - 6), "text-anchor", "middle");
  }
}
