package dev.lossbench.workers.output;

import static dev.lossbench.workers.format.Figures.fixed;
import static dev.lossbench.workers.format.Figures.percent;
import static dev.lossbench.workers.study.StudyFigures.pairedCell;
import static dev.lossbench.workers.study.StudyFigures.summary;

import dev.lossbench.workers.compare.MeasureKind;
import dev.lossbench.workers.format.Figures;
import dev.lossbench.workers.study.StudyFigures;
import dev.lossbench.workers.study.StudyInput.StudyDataset;
import dev.lossbench.workers.study.StudyResult;
import dev.lossbench.workers.study.StudyResult.ClaimVerdict;
import dev.lossbench.workers.study.StudyResult.ConvergenceRow;
import dev.lossbench.workers.study.StudyResult.DatasetVerdict;
import dev.lossbench.workers.study.StudyResult.Early;
import dev.lossbench.workers.study.StudyResult.GeneralisationRow;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@code lossbench study}'s text: the study's tables and verdicts for a terminal. */
public final class StudyText {
  private StudyText() {}

  public static void print(PrintWriter out, StudyResult r) {
    double alpha = r.options().alpha();
    out.println("Study of " + r.benchmarkName() + " (" + r.benchmarkId() + "), model " + r.model());
    out.println("Datasets: " + r.datasets().stream().map(StudyText::describe).collect(Collectors.joining("; "))
        + (r.excludedDatasets().isEmpty()
            ? ""
            : " (left out: " + String.join(", ", r.excludedDatasets())
                + (r.options().datasets() == null ? " — the fine-tuning stages are studied; --datasets to choose" : "")
                + ")"));
    out.println("References: Triplet-HN = " + orNone(r.triplet())
        + (r.plainTriplet() == null ? "" : " (and plain " + r.plainTriplet() + ")") + ", VLC = " + orNone(r.vlc())
        + "; unified variants: " + (r.unifiedVariants().isEmpty() ? "none" : String.join(", ", r.unifiedVariants()))
        + " (candidates, m > 0: " + (r.candidates().isEmpty() ? "none" : String.join(", ", r.candidates())) + ")");
    if (r.judged() != null) {
      out.println("Judged as the unified loss: " + r.judged() + switch (r.judgedBy()) {
        case "pre-registered" -> " (pre-registered in the matrix's study: block"
            + (r.preregistration().unified().size() > 1
                ? ": the best on validation among "
                    + r.preregistration().unified().size() + ", Holm-corrected over them"
                : ": no correction for choosing")
            + (r.testSelected() ? "; a studied dataset validates on its test split" : "") + ")";
        case "option" -> " (--unified, named after the runs exist: p-values Holm-corrected over the "
            + r.candidates().size() + " candidates)";
        default -> " (highest mean best validation rSum among " + r.candidates().size() + " candidates, "
            + r.selection().stream().filter(s -> s.variant().equals(r.judged()))
                .findFirst().map(s -> s.meanBestValidationRsum() == null ? "–" : fixed(s.meanBestValidationRsum(), 1))
                .orElse("–")
            + "; " + (r.testSelected()
                ? "TEST-SELECTED: a studied dataset validates on its test split, so this was chosen on test data"
                : "chosen on validation data, not test data")
            + (r.candidates().size() > 1 ? "; p-values Holm-corrected for the choice" : "") + ")";
      });
    }
    out.println("Analysis: " + r.standing().text().toUpperCase(Locale.ROOT) + switch (r.standing()) {
      case PRE_REGISTERED -> " — unified variant, alpha " + fixed(alpha, 2) + " and equivalence bounds from the"
          + " matrix's study: block";
      case EXPLORATORY -> " — options depart from (or stand in for) a pre-registered analysis: every verdict is"
          + " exploratory";
      case NOT_PRE_REGISTERED -> " — the matrix has no study: block, so nothing was fixed before the runs existed";
    });
    out.println(
        "Figures: mean over seeds [95% t confidence interval]; Δ = variant − reference paired over the seeds both"
            + " have, [" + percent(1 - alpha)
            + " interval of the exact sign-flip test; unbounded where it cannot exclude any"
            + " value] and its two-sided p, uncorrected (* p < " + fixed(alpha, 2) + "); only succeeded runs count.");

    out.println();
    out.println("(a) Convergence: area under the validation-rSum curve (mean validation rSum over epochs 1..E; the"
        + " measure Claim 1 decides on); secondary: epochs (from 1) and wall time to "
        + percent(r.options().threshold())
        + " of each run's own best validation rSum, validation rSum at early epochs");
    for (StudyDataset d : r.datasets()) {
      List<ConvergenceRow> rows = r.convergence().stream().filter(c -> c.dataset().equals(d.name())).toList();
      out.println();
      out.println("  " + describe(d));
      List<String> header = new ArrayList<>(List.of("variant", "seeds", "curve area",
          "epochs to " + percent(r.options().threshold()), "seconds to " + percent(r.options().threshold())));
      r.options().earlyEpochs().forEach(e -> header.add("val rSum ep " + e));
      List<List<String>> table = new ArrayList<>();
      for (ConvergenceRow c : rows) {
        List<String> line = new ArrayList<>(List.of(c.variant(), String.valueOf(c.epochsToThreshold().n()),
            summary(c.curveArea(), 1), summary(c.epochsToThreshold(), 2), summary(c.secondsToThreshold(), 1)));
        c.early().forEach(e -> line.add(summary(e.rsum(), 1)));
        table.add(line);
      }
      printTable(out, "    ", header, table);
      if (r.triplet() != null) {
        out.println("    Δ vs Triplet-HN (" + r.triplet() + "):");
        List<String> dHeader = new ArrayList<>(List.of("variant", "pairs", "Δ curve area",
            "Δ epochs to " + percent(r.options().threshold())));
        r.options().earlyEpochs().forEach(e -> dHeader.add("Δ val rSum ep " + e));
        List<List<String>> dTable = new ArrayList<>();
        for (ConvergenceRow c : rows) {
          if (c.epochsVsTriplet() == null) {
            continue;
          }
          List<String> line = new ArrayList<>(List.of(c.variant(), String.valueOf(c.epochsVsTriplet().n()),
              pairedCell(c.curveAreaVsTriplet(), 1, alpha), pairedCell(c.epochsVsTriplet(), 2, alpha)));
          for (Early e : c.early()) {
            line.add(pairedCell(e.vsTriplet(), 1, alpha));
          }
          dTable.add(line);
        }
        printTable(out, "    ", dHeader, dTable);
      }
    }

    out.println();
    out.println("(b) Generalisation: test rSum (primary split) per variant and dataset");
    List<String> header = new ArrayList<>(List.of("variant"));
    r.datasets().forEach(d -> header.add(d.name() + (d.trainImages() == null ? "" : " (" + d.trainImages() + ")")));
    out.println();
    printTable(out, "    ", header, rows(r, row -> summary(row.testRsum(), 1) + " n=" + row.testRsum().n(), false));
    if (r.vlc() != null) {
      out.println("    Δ vs VLC (" + r.vlc() + "):");
      printTable(out, "    ", header, rows(r, row -> pairedCell(row.vsVlc(), 1, alpha), true));
    }
    if (r.triplet() != null) {
      out.println("    Δ vs Triplet-HN (" + r.triplet() + "):");
      printTable(out, "    ", header, rows(r, row -> pairedCell(row.vsTriplet(), 1, alpha), true));
    }

    printByGamma(out, r);
    printGap(out, r, alpha);

    out.println();
    out.println(
        "(c) Verdicts, " + r.standing().text() + " (the comparison engine's exact sign-flip test; Holm-corrected"
            + " at " + fixed(alpha, 2) + " over candidates and datasets; 'not supported' needs a significant"
            + " difference the other way or equivalence within "
            // the bounds that decided: the matrix's study: block's (resolved per dataset and reference), or the options'
            + (r.options().matrixBounds()
                ? "the bounds of the matrix's study: block"
                : "±" + fixed(r.options().equivalenceRsum(), 1) + " rSum / ±"
                    + fixed(r.options().equivalenceEpochs(), 1)
                    + " epochs")
            + " (TOST); otherwise inconclusive)");
    for (ClaimVerdict v : r.verdicts()) {
      out.println();
      out.println("  Claim " + v.claim() + (v.primary() ? "" : " (also)") + ": " + v.statement());
      out.println("  Against: " + orNone(v.against()) + (v.testSelected() ? " — TEST-SELECTED" : ""));
      out.println("  Verdict: " + v.outcome().text().toUpperCase(Locale.ROOT) + " (" + v.standing().text() + ") — "
          + v.reason());
      for (DatasetVerdict d : v.datasets()) {
        out.println("    " + d.dataset() + (v.claim() == 2 && !d.decisive() ? " (context)" : "") + ": "
            + d.outcome().text() + " — " + d.reason());
        for (StudyResult.Secondary s : d.secondary()) {
          out.println("      secondary, not deciding: " + s.measure() + ": " + s.finding().word() + " — "
              + StudyFigures.paired(s.difference(), s.kind() == MeasureKind.DISCRETE ? 2 : 1, alpha, s.pAdjusted(),
                  2));
        }
      }
    }
    out.flush();
  }

  // Claim 2 per γ: every unified candidate against every fixed-temperature VLC, matched (τ = 1/γ) or not
  private static void printByGamma(PrintWriter out, StudyResult r) {
    if (r.claim2ByGamma().isEmpty()) {
      return;
    }
    out.println();
    out.println(
        "(b1) Claim 2 per γ on " + r.claim2ByGamma().get(0).dataset() + ": test rSum unified − VLC, at γ matched"
            + " to VLC's temperature (τ = 1/γ) and away from it; Holm over the " + r.claim2ByGamma().size()
            + " rows (a scan over"
            + " γ, not the headline verdict)");
    List<List<String>> table = new ArrayList<>();
    for (StudyResult.GammaRow g : r.claim2ByGamma()) {
      table.add(List.of(g.unified(), fixed(g.gamma(), 0), fixed(g.margin(), 2), g.vlc(),
          g.matched() ? "matched (τ = 1/γ)" : "away (τ·γ = " + fixed(g.tauTimesGamma(), 2) + ")",
          pairedCell(g.testRsumDelta(), 1, r.options().alpha()),
          g.pAdjusted() == null ? "–" : Figures.p(g.pAdjusted()),
          g.outcome().text() + " (" + g.finding().word() + ")"));
    }
    printTable(out, "    ", List.of("unified", "γ", "m", "VLC", "temperature", "Δ test rSum", "Holm p", "Claim 2"),
        table);
  }

  // train-set recall beside test (protocol gap): a figure, not a verdict
  private static void printGap(PrintWriter out, StudyResult r, double alpha) {
    out.println();
    out.println("(b2) Generalisation gap: rSum on the first n training images beside the first n test images (protocol"
        + " gap; equal galleries, n = min(training, test images)); gap = train − test per seed; Δ gap vs VLC paired,"
        + " uncorrected — a figure, not a verdict");
    for (StudyDataset d : r.datasets()) {
      out.println();
      if (!r.gapRecorded(d.name())) {
        out.println("  " + d.name() + ": " + StudyResult.NO_GAP);
        continue;
      }
      String at = d.gapImages() == null ? "@n" : "@" + d.gapImages();
      out.println("  " + describe(d) + (d.gapImages() == null ? "" : ", n = " + d.gapImages()));
      List<String> header = List.of("variant", "role", "seeds", "test rSum", "train rSum" + at, "test rSum" + at,
          "gap" + at, "Δ gap vs VLC" + (r.vlc() == null ? "" : " (" + r.vlc() + ")"));
      List<List<String>> table = new ArrayList<>();
      for (StudyResult.GapRow g : r.gap()) {
        if (g.dataset().equals(d.name())) {
          table.add(List.of(g.variant(), g.role(), String.valueOf(g.gap().n()), summary(g.testRsum(), 1),
              summary(g.trainRsumAtN(), 1), summary(g.testRsumAtN(), 1), summary(g.gap(), 1),
              pairedCell(g.gapVsVlc(), 1, alpha)));
        }
      }
      printTable(out, "    ", header, table);
    }
  }

  private static List<List<String>> rows(StudyResult r, Function<GeneralisationRow, String> cell, boolean skipNull) {
    List<List<String>> table = new ArrayList<>();
    for (String variant : r.variants()) {
      List<String> line = new ArrayList<>(List.of(variant));
      boolean any = false;
      for (StudyDataset d : r.datasets()) {
        GeneralisationRow row = r.generalisation(d.name(), variant).orElse(null);
        String text = row == null ? "–" : cell.apply(row);
        any |= row != null && !text.equals("–");
        line.add(text);
      }
      if (any || !skipNull) {
        table.add(line);
      }
    }
    return table;
  }

  private static String describe(StudyDataset d) {
    return d.name() + (d.trainImages() == null
        ? ""
        : " (" + d.trainImages() + " training images"
            + (d.initFrom() == null ? ")" : ", fine-tuned from " + d.initFrom() + ")"))
        + (d.trainImages() == null && d.initFrom() != null ? " (fine-tuned from " + d.initFrom() + ")" : "");
  }

  private static String orNone(String variant) {
    return variant == null ? "none" : variant;
  }

  private static void printTable(PrintWriter out, String indent, List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    out.println(indent + line(header, widths));
    for (List<String> row : rows) {
      out.println(indent + line(row, widths));
    }
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append("  ");
      }
      String cell = cells.get(i);
      b.append(cell);
      if (i < cells.size() - 1) {
        b.append(" ".repeat(widths[i] - cell.length()));
      }
    }
    return b.toString();
  }
}
