package dev.lossbench.workers.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lossbench.schema.record.ComparisonRow;
import dev.lossbench.schema.record.LeaderboardRow;
import dev.lossbench.schema.record.VariantRuns;
import dev.lossbench.workers.compare.BestSet;
import dev.lossbench.workers.compare.BestText;
import dev.lossbench.workers.compare.ComparisonText;
import dev.lossbench.workers.compare.Measure;
import dev.lossbench.workers.format.Figures;
import dev.lossbench.workers.format.StoppedText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The leaderboard as a table for people, CSV for spreadsheets, or JSON for scripts: the leaderboard view's rows
 * (rank included, decided in SQL) beside the comparison engine's stored verdicts against the baseline, then the
 * variants successive halving stopped (view {@code variant_runs}): with their rung and validation rSum at it, the
 * seeds they used, no rank and no comparison. Each dataset × model also names the variants that could be the best
 * ({@link BestSet}): one when the best is decided, the tied ones when the seeds do not separate them.
 */
public enum LeaderboardFormat {
  TABLE, CSV, JSON;

  public void print(PrintWriter out, List<LeaderboardRow> rows) {
    print(out, rows, List.of(), List.of(), List.of(), Map.of());
  }

  /**
   * @param comparisons the benchmark's stored comparisons (any measure; tables and CSV show rSum's)
   * @param best the sets of the variants that could be the best ({@code StoredComparisons.best}), any split
   * @param stopped the variants successive halving stopped ({@code ReportRepository.stoppedVariants}), listed after
   *     the ranked ones of their dataset × model
   * @param datasetNames the matrix's names of the datasets by id, shown in tables instead of ids
   */
  public void print(PrintWriter out, List<LeaderboardRow> rows, List<ComparisonRow> comparisons,
      List<BestSet.Group> best, List<VariantRuns> stopped, Map<String, String> datasetNames) {
    print(out, rows, comparisons, best, stopped, datasetNames, "baseline");
  }

  /** @param reference what the table calls the variant the others are compared with: baseline, or reference */
  public void print(PrintWriter out, List<LeaderboardRow> rows, List<ComparisonRow> comparisons,
      List<BestSet.Group> best, List<VariantRuns> stopped, Map<String, String> datasetNames, String reference) {
    switch (this) {
      case JSON -> json(out, rows, comparisons, best, stopped);
      case CSV -> {
        out.println(
            "rank,dataset,model,variant,split,seeds,rsum_mean,rsum_std,i2t_r1_mean,i2t_r1_std,t2i_r1_mean,t2i_r1_std,"
                + "best_seed,best_rsum,baseline,paired_seeds,rsum_delta,rsum_delta_ci_low,rsum_delta_ci_high,p_a_greater,"
                + "p_a_greater_low,p_a_greater_high,p,p_holm,p_t,p_equivalence_holm,equivalence_bound,alpha,outcome,"
                + "stopped_epoch,stopped_val_rsum_mean,stopped_val_rsum_std,could_be_best,best_decided");
        for (LeaderboardRow r : rows) {
          Optional<ComparisonRow> c = comparison(comparisons, r, Measure.RSUM.name());
          out.println(String.join(",", Integer.toString(r.rank()), csv(r.datasetId()), csv(r.model()), csv(r.variant()),
              r.split(), Integer.toString(r.seeds()), num(r.rsumMean()), num(r.rsumStd()), num(r.i2tR1Mean()),
              num(r.i2tR1Std()), num(r.t2iR1Mean()), num(r.t2iR1Std()), Long.toString(r.bestSeed()), num(r.bestRsum()),
              c.map(x -> csv(x.baseline())).orElse(""), c.map(x -> Integer.toString(x.n())).orElse(""),
              num(c, ComparisonRow::meanDelta), num(c, ComparisonRow::ciLow), num(c, ComparisonRow::ciHigh),
              num(c, ComparisonRow::pAGreater), num(c, ComparisonRow::pAGreaterLow),
              num(c, ComparisonRow::pAGreaterHigh),
              num(c, ComparisonRow::p), num(c, ComparisonRow::pHolm), num(c, ComparisonRow::pT),
              num(c, ComparisonRow::pEquivalenceHolm), num(c, ComparisonRow::bound),
              c.map(x -> num(x.alpha())).orElse(""), c.map(ComparisonRow::outcome).orElse(""), "", "", "",
              set(best, r).map(g -> Boolean.toString(g.variants().contains(r.variant()))).orElse(""),
              set(best, r).map(g -> Boolean.toString(g.decided())).orElse("")));
        }
        // no rank, no split (no test figures), no comparison: the rung and its validation rSum
        for (VariantRuns v : stopped) {
          out.println("," + String.join(",", csv(v.datasetId()), csv(v.model()), csv(v.variant()), "",
              Integer.toString(v.runsStopped())) + ",".repeat(24)
              + String.join(",",
                  v.stoppedEpoch() == null ? "" : Integer.toString(v.stoppedEpoch()),
                  num(v.stoppedValRsumMean()), num(v.stoppedValRsumStd()), "", ""));
        }
      }
      case TABLE -> table(out, rows, comparisons, best, stopped, datasetNames, reference);
    }
    out.flush();
  }

  private static void json(PrintWriter out, List<LeaderboardRow> rows, List<ComparisonRow> comparisons,
      List<BestSet.Group> best, List<VariantRuns> stopped) {
    ObjectMapper mapper = new ObjectMapper().findAndRegisterModules()
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    ArrayNode array = mapper.createArrayNode();
    for (LeaderboardRow r : rows) {
      ObjectNode item = mapper.valueToTree(r);
      // per measure, the stored comparison with the baseline (none for the baseline itself)
      ObjectNode byMeasure = item.putObject("comparisons");
      comparisons.stream().filter(c -> same(c, r)).forEach(c -> byMeasure.set(c.measure(), mapper.valueToTree(c)));
      item.putNull("stoppedEpoch");
      // whether the variant could be the best of its group, and whether the group's best is decided
      Optional<BestSet.Group> set = set(best, r);
      set.ifPresentOrElse(g -> item.put("couldBeBest", g.variants().contains(r.variant())),
          () -> item.putNull("couldBeBest"));
      set.ifPresentOrElse(g -> item.put("bestDecided", g.decided()), () -> item.putNull("bestDecided"));
      array.add(item);
    }
    // after the ranked rows: the stopped variants, rank and test figures null, the rung and its validation rSum
    for (VariantRuns v : stopped) {
      ObjectNode item = array.addObject();
      item.put("benchmarkId", v.benchmarkId());
      item.put("datasetId", v.datasetId());
      item.put("model", v.model());
      item.put("variant", v.variant());
      item.put("lossName", v.lossName());
      item.putNull("split");
      item.put("seeds", v.runsStopped());
      item.putNull("rsumMean");
      item.putNull("rank");
      item.putObject("comparisons");
      item.put("stoppedEpoch", v.stoppedEpoch());
      item.put("stoppedValRsumMean", v.stoppedValRsumMean());
      item.put("stoppedValRsumStd", v.stoppedValRsumStd());
      item.putNull("couldBeBest");
      item.putNull("bestDecided");
    }
    try {
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void table(PrintWriter out, List<LeaderboardRow> rows, List<ComparisonRow> comparisons,
      List<BestSet.Group> best, List<VariantRuns> stopped, Map<String, String> names, String reference) {
    if (rows.isEmpty() && stopped.isEmpty()) {
      out.println("(no results yet)");
      return;
    }
    // dataset × model panels in the order the rows come (the view's), a panel with stopped variants only after them
    Map<List<String>, List<LeaderboardRow>> ranked = new LinkedHashMap<>();
    rows.forEach(r -> ranked.computeIfAbsent(List.of(r.datasetId(), r.model()), k -> new ArrayList<>()).add(r));
    Map<List<String>, List<VariantRuns>> halved = new LinkedHashMap<>();
    stopped.forEach(v -> halved.computeIfAbsent(List.of(v.datasetId(), v.model()), k -> new ArrayList<>()).add(v));
    Set<List<String>> panels = new LinkedHashSet<>(ranked.keySet());
    panels.addAll(halved.keySet());
    String group = null;
    for (List<String> panel : panels) {
      for (LeaderboardRow r : ranked.getOrDefault(panel, List.of())) {
        String g = group(names, r.datasetId(), r.model()) + " · " + r.split();
        if (!g.equals(group)) {
          group = g;
          header(out, g, reference);
        }
        Optional<ComparisonRow> c = comparison(comparisons, r, Measure.RSUM.name());
        boolean baseline = comparisons.stream()
            .anyMatch(x -> x.baseline().equals(r.variant()) && x.datasetId().equals(r.datasetId())
                && x.model().equals(r.model()) && x.split().equals(r.split()));
        out.printf(Locale.ROOT, "  %-4d %-40s %5d %17s %15s %15s  %-28s %-18s %-22s %s%n", r.rank(), r.variant(),
            r.seeds(),
            pm(r.rsumMean(), r.rsumStd()), pm(r.i2tR1Mean(), r.i2tR1Std()), pm(r.t2iR1Mean(), r.t2iR1Std()),
            c.map(x -> Figures.signedInterval(x.meanDelta(), x.ciLow(), x.ciHigh())).orElse(baseline ? reference : "–"),
            c.map(x -> Figures.shareInterval(x.pAGreater(), x.pAGreaterLow(), x.pAGreaterHigh())).orElse(""),
            c.map(ComparisonText::p).orElse(""), c.map(ComparisonRow::outcome).orElse(""));
      }
      List<LeaderboardRow> panelRows = ranked.getOrDefault(panel, List.of());
      if (!panelRows.isEmpty()) {
        set(best, panelRows.get(0)).flatMap(BestText::line).ifPresent(out::println);
      }
      for (VariantRuns v : halved.getOrDefault(panel, List.of())) {
        if (group == null || !group.startsWith(group(names, v.datasetId(), v.model()) + " · ")) {
          group = group(names, v.datasetId(), v.model()) + " · (no variant ranked yet)";
          header(out, group, reference);
        }
        out.printf(Locale.ROOT, "  %-4s %-40s %5d  %s%n", "–", v.variant(), v.runsStopped(), StoppedText.variant(v));
      }
    }
    List<ComparisonRow> rsum = comparisons.stream().filter(x -> x.measure().equals(Measure.RSUM.name())).toList();
    if (rsum.isEmpty()) {
      out.println();
      out.println("(no comparisons with the baseline yet: they are computed when the benchmark finishes)");
    } else {
      out.println();
      ComparisonText.footnotes(rsum).forEach(out::println);
    }
    if (best.stream().anyMatch(g -> g.rivals() > 1)) {
      out.println(BestText.FOOTNOTE);
    }
    if (!stopped.isEmpty()) {
      out.println(StoppedText.FOOTNOTE);
    }
  }

  /** The set of the row's dataset × model × split. */
  private static Optional<BestSet.Group> set(List<BestSet.Group> best, LeaderboardRow r) {
    return best.stream().filter(g -> g.dataset().equals(r.datasetId()) && g.model().equals(r.model())
        && g.split().equals(r.split())).findFirst();
  }

  private static String group(Map<String, String> names, String datasetId, String model) {
    String dataset = names.containsKey(datasetId) ? names.get(datasetId) + " (" + datasetId + ")" : datasetId;
    return dataset + " · " + model;
  }

  private static void header(PrintWriter out, String group, String reference) {
    out.println();
    out.println(group);
    out.printf(Locale.ROOT, "  %-4s %-40s %5s %17s %15s %15s  %-28s %-18s %-22s %s%n", "rank", "loss variant", "seeds",
        "rSum", "i2t R@1", "t2i R@1", "Δ rSum vs " + reference + " [95 %]", "P(A>B) [95 %]", "p (pT)", "outcome");
  }

  private static Optional<ComparisonRow> comparison(List<ComparisonRow> comparisons, LeaderboardRow r, String measure) {
    return comparisons.stream().filter(c -> c.measure().equals(measure) && same(c, r)).findFirst();
  }

  private static boolean same(ComparisonRow c, LeaderboardRow r) {
    return c.datasetId().equals(r.datasetId()) && c.model().equals(r.model()) && c.split().equals(r.split())
        && c.variant().equals(r.variant());
  }

  private static String pm(double mean, Double std) {
    return Figures.meanStd(mean, std);
  }

  private static String num(Optional<ComparisonRow> c, Function<ComparisonRow, Double> field) {
    return c.map(field).map(LeaderboardFormat::num).orElse("");
  }

  private static String num(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
