package dev.lossbench.workers.report;

import dev.lossbench.workers.format.Figures;

import java.util.ArrayList;
import java.util.List;

/**
 * A grouped bar chart from zero: groups along x (e.g. R@1, R@5, R@10), one bar per loss variant in
 * each, in the same variant order in every group. Each bar is a {@code <rect class="bar">} with
 * {@code data-variant} and {@code data-group}, its value written above it and in its tooltip.
 */
final class GroupedBarChart {
  record Bar(String variant, double value) {}

  record Group(String label, List<Bar> bars) {
    Group {
      bars = List.copyOf(bars);
    }
  }

  /** Of a group's width, the share its bars take; the rest separates the groups. */
  private static final double FILL = 0.8;
  /** Narrower bars than this get no value label: it would not fit. */
  private static final double MIN_LABELLED_WIDTH = 20;

  private GroupedBarChart() {}

  /**
   * The chart's SVG.
   *
   * @param chart the {@code data-chart} name, e.g. {@code recall-i2t}
   * @throws IllegalArgumentException when there are no groups
   */
  static String render(String chart, String title, String xLabel, String yLabel, List<Group> groups,
      VariantStyles styles) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("no groups to draw in chart " + chart);
    }
    double max = groups.stream().flatMap(g -> g.bars().stream()).mapToDouble(Bar::value).max().orElse(0);
    LinearScale y = ChartFrame.yScale(0, Math.max(max, 1));

    Svg svg = new Svg(chart, ChartFrame.WIDTH, ChartFrame.HEIGHT, title);
    ChartFrame.title(svg, title);
    ChartFrame.yAxis(svg, y, yLabel);
    double groupWidth = (ChartFrame.plotRight() - ChartFrame.plotLeft()) / groups.size();
    List<String> labels = new ArrayList<>();
    List<Double> centres = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      Group group = groups.get(g);
      double groupLeft = ChartFrame.plotLeft() + g * groupWidth;
      labels.add(group.label());
      centres.add(groupLeft + groupWidth / 2);
      if (group.bars().isEmpty()) {
        continue;
      }
      double barWidth = groupWidth * FILL / group.bars().size();
      double left = groupLeft + groupWidth * (1 - FILL) / 2;
      for (int b = 0; b < group.bars().size(); b++) {
        Bar bar = group.bars().get(b);
        double x = left + b * barWidth;
        double top = y.map(bar.value());
        String value = Figures.recall(bar.value());
        svg.open("rect", "class", "bar", "data-variant", bar.variant(), "data-group", group.label(),
            "x", Svg.n(x), "y", Svg.n(top), "width", Svg.n(barWidth - 1),
            "height", Svg.n(ChartFrame.plotBottom() - top), "fill", styles.of(bar.variant()).colour());
        svg.withText("title", bar.variant() + ", " + group.label() + ": " + value);
        svg.close("rect");
        if (barWidth >= MIN_LABELLED_WIDTH) {
          svg.withText("text", value, "class", "bar-value", "x", Svg.n(x + (barWidth - 1) / 2),
              "y", Svg.n(top - 3), "text-anchor", "middle");
        }
      }
    }
    ChartFrame.categoryAxis(svg, labels, centres, xLabel);
    return svg.finish();
  }
}
