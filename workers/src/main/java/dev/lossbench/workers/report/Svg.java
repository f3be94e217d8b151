package dev.lossbench.workers.report;

import dev.lossbench.workers.format.Figures;

/**
 * Writes one SVG element tree as text. Coordinates are written with one decimal in a fixed locale,
 * so equal charts are equal bytes; attribute values and text are escaped.
 */
final class Svg {
  private final StringBuilder out = new StringBuilder();

  /**
   * Opens the root element. No {@code xmlns}: inside an HTML page the parser puts {@code <svg>} in
   * the SVG namespace itself, and the report stays free of any URL.
   *
   * @param chart what the chart shows, as a {@code data-chart} attribute for readers and tests
   * @param label the chart's accessible name
   */
  Svg(String chart, int width, int height, String label) {
    out.append("<svg class=\"chart\" data-chart=\"").append(Markup.escape(chart))
        .append("\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"").append(Markup.escape(label)).append("\">\n");
  }

  /** {@code <tag name="value" ...>}; {@code attributes} are name, value pairs; null values are left out. */
  Svg open(String tag, String... attributes) {
    start(tag, attributes);
    out.append(">\n");
    return this;
  }

  Svg close(String tag) {
    out.append("</").append(tag).append(">\n");
    return this;
  }

  /** {@code <tag name="value" .../>}. */
  Svg element(String tag, String... attributes) {
    start(tag, attributes);
    out.append("/>\n");
    return this;
  }

  /** {@code <tag ...>text</tag>}, the text escaped. */
  Svg withText(String tag, String text, String... attributes) {
    start(tag, attributes);
    out.append('>').append(Markup.escape(text)).append("</").append(tag).append(">\n");
    return this;
  }

  /** The finished {@code <svg>} element. */
  String finish() {
    return out + "</svg>\n";
  }

  private void start(String tag, String... attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name, value pairs: " + String.join(", ", attributes));
    }
    out.append('<').append(tag);
    for (int i = 0; i < attributes.length; i += 2) {
      if (attributes[i + 1] != null) {
        out.append(' ').append(attributes[i]).append("=\"").append(Markup.escape(attributes[i + 1])).append('"');
      }
    }
  }

  /** A coordinate: {@code 123.4}. */
  static String n(double value) {
    return Figures.fixed(value, 1);
  }

  /** A {@code points} attribute: {@code x,y x,y ...}. */
  static String points(double[] xs, double[] ys) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < xs.length; i++) {
      if (i > 0) {
        points.append(' ');
      }
      points.append(n(xs[i])).append(',').append(n(ys[i]));
    }
    return points.toString();
  }
}
