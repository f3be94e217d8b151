package dev.lossbench.workers.report;

import dev.lossbench.schema.record.RunStatus;
import java.util.Collection;

/** Markup that several sections of the report repeat: panel headings, legends, status badges. */
final class Fragments {
  private Fragments() {}

  static String esc(String text) {
    return Markup.escape(text);
  }

  /**
   * Opens a panel's {@code <div class="panel" data-panel="DATASET/MODEL">} with its heading: the
   * matrix's dataset name, the id the store uses, and the model. {@link #closePanel} closes it.
   */
  static void openPanel(StringBuilder html, ReportData data, Panel panel) {
    String name = data.datasetName(panel.datasetId());
    html.append("<div class=\"panel\" data-panel=\"").append(esc(panel.key())).append("\">\n<h3>").append(esc(name));
    if (!name.equals(panel.datasetId())) {
      html.append(" <span class=\"muted\">(").append(esc(panel.datasetId())).append(")</span>");
    }
    html.append(" · ").append(esc(panel.model())).append("</h3>\n");
  }

  static void closePanel(StringBuilder html) {
    html.append("</div>\n");
  }

  /** One entry per variant: a line in its colour and dash pattern, then its label. */
  static void legend(StringBuilder html, Collection<String> variants, VariantStyles styles) {
    html.append("<ul class=\"legend\">\n");
    for (String variant : variants) {
      VariantStyles.Style style = styles.of(variant);
      html.append("<li data-variant=\"").append(esc(variant)).append("\">")
          .append("<svg class=\"swatch\" width=\"26\" height=\"10\" viewBox=\"0 0 26 10\" aria-hidden=\"true\">")
          .append("<line x1=\"1\" y1=\"5\" x2=\"25\" y2=\"5\" stroke=\"").append(style.colour()).append('"');
      if (!style.dash().isEmpty()) {
        html.append(" stroke-dasharray=\"").append(style.dash()).append('"');
      }
      html.append("/></svg>").append(esc(variant)).append("</li>\n");
    }
    html.append("</ul>\n");
  }

  /** A small dot in the variant's colour, before its label in tables. */
  static String swatch(String variant, VariantStyles styles) {
    return "<span class=\"dot\" style=\"background:" + styles.of(variant).colour() + "\"></span>";
  }

  static String statusBadge(RunStatus status) {
    return "<span class=\"status status-" + status.sqlName() + "\">" + status.sqlName() + "</span>";
  }

  /** A paragraph saying a section has nothing to show yet. */
  static void empty(StringBuilder html, String message) {
    html.append("<p class=\"empty\">").append(esc(message)).append("</p>\n");
  }
}
