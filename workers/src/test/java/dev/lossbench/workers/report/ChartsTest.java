package dev.lossbench.workers.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The two chart kinds on their own: geometry, edge cases, escaping. */
class ChartsTest {
  private static final String ODD = "odd\"<variant>&";
  private final VariantStyles styles = new VariantStyles(List.of("a", "b", ODD));

  @Test
  void eachSeriesIsOneCurveWithAMarkerPerEpochOverItsBand() {
    String svg = EpochChart.render("convergence", "Validation rSum", "rSum", List.of(
        new EpochChart.Series("a", List.of(new EpochChart.Point(0, 300), new EpochChart.Point(1, 350),
            new EpochChart.Point(2, 360)),
            List.of(new EpochChart.Band(0, 290, 310), new EpochChart.Band(1, 340, 360),
                new EpochChart.Band(2, 355, 365))),
        new EpochChart.Series("b", List.of(new EpochChart.Point(0, 320), new EpochChart.Point(2, 330)), List.of())),
        styles);
    ReportDocument chart = ReportDocument.parse(svg);

    Element a = chart.one("//g[@data-variant='a']");
    assertEquals(3, chart.all(a, "polyline[@class='curve']").get(0).getAttribute("points").split(" ").length);
    assertEquals(3, chart.all(a, "circle[@class='marker']").size());
    assertEquals(6, chart.one("//g[@data-variant='a']/polygon[@class='band']").getAttribute("points").split(" ").length,
        "upper edge out, lower edge back");
    assertEquals(2, chart.all("//g[@data-variant='b']/circle").size(), "an epoch without a value is skipped");
    assertTrue(chart.all("//g[@data-variant='b']/polygon").isEmpty(), "no band without spread");
    assertEquals(List.of("0", "1", "2"), chart.texts("//g[contains(@class, 'x-axis')]/text[@class='tick']"));
  }

  @Test
  void aSingleEpochStillShowsAsAMarkerInTheMiddle() {
    String svg = EpochChart.render("train-loss", "Training loss", "loss", List.of(
        new EpochChart.Series("a", List.of(new EpochChart.Point(0, 4.8)), List.of())), styles);
    ReportDocument chart = ReportDocument.parse(svg);

    Element marker = chart.one("//circle[@class='marker']");
    assertEquals(Svg.n((ChartFrame.plotLeft() + ChartFrame.plotRight()) / 2), marker.getAttribute("cx"));
    assertEquals(List.of("0"), chart.texts("//g[contains(@class, 'x-axis')]/text[@class='tick']"));
  }

  @Test
  void aChartWithNothingToDrawIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> EpochChart.render("convergence", "t", "y",
        List.of(new EpochChart.Series("a", List.of(), List.of())), styles));
    assertThrows(IllegalArgumentException.class, () -> GroupedBarChart.render("recall-i2t", "t", "K", "y",
        List.of(), styles));
  }

  @Test
  void barsRiseFromZeroInProportionToTheirValue() {
    String svg = GroupedBarChart.render("recall-i2t", "Image → text", "K", "Recall@K (%)", List.of(
        new GroupedBarChart.Group("R@1", List.of(new GroupedBarChart.Bar("a", 25), new GroupedBarChart.Bar("b", 50))),
        new GroupedBarChart.Group("R@5", List.of(new GroupedBarChart.Bar("a", 40), new GroupedBarChart.Bar("b", 10)))),
        styles);
    ReportDocument chart = ReportDocument.parse(svg);

    double full = ChartFrame.plotBottom() - ChartFrame.plotTop(); // the axis runs 0..50
    assertEquals(Svg.n(full), chart.one("//rect[@data-variant='b'][@data-group='R@1']").getAttribute("height"));
    assertEquals(Svg.n(full / 2), chart.one("//rect[@data-variant='a'][@data-group='R@1']").getAttribute("height"));
    assertEquals(Svg.n(ChartFrame.plotBottom()), Svg.n(
        Double.parseDouble(chart.one("//rect[@data-variant='a'][@data-group='R@5']").getAttribute("y"))
            + Double.parseDouble(chart.one("//rect[@data-variant='a'][@data-group='R@5']").getAttribute("height"))),
        "standing on the axis");
    assertEquals(List.of("25.0", "50.0", "40.0", "10.0"), chart.texts("//text[@class='bar-value']"));
    assertEquals(List.of("R@1", "R@5"), chart.texts("//g[contains(@class, 'x-axis')]/text[@class='tick']"));
  }

  @Test
  void variantLabelsAreEscapedInAttributesAndText() {
    String svg = GroupedBarChart.render("recall-t2i", "Text → image", "K", "Recall@K (%)", List.of(
        new GroupedBarChart.Group("R@1", List.of(new GroupedBarChart.Bar(ODD, 30)))), styles);

    assertTrue(svg.contains("data-variant=\"odd&quot;&lt;variant&gt;&amp;\""), svg);
    assertEquals(ODD, ReportDocument.parse(svg).one("//rect").getAttribute("data-variant"));
    assertEquals(ODD + ", R@1: 30.0", ReportDocument.parse(svg).one("//rect/title").getTextContent());
  }
}
