package dev.lossbench.workers.cli;

import dev.lossbench.workers.compare.ComparisonText;
import dev.lossbench.workers.compare.Measure;
import dev.lossbench.workers.format.Figures;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lossbench.schema.repository.ComparisonRow;
import dev.lossbench.schema.repository.LeaderboardRow;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The leaderboard as a table for people, CSV for spreadsheets, or JSON for scripts: the leaderboard view's rows
 * (rank included, decided in SQL) beside the comparison engine's stored verdicts against the baseline.
 */
enum LeaderboardFormat {
  TABLE, CSV, JSON;

  void print(PrintWriter out, List<LeaderboardRow> rows) {
    print(out, rows, List.of(), Map.of());
  }

  /**
   * @param comparisons the benchmark's stored comparisons (any measure; tables and CSV show rSum's)
   * @param datasetNames the matrix's names of the datasets by id, shown in tables instead of ids
   */
  void print(PrintWriter out, List<LeaderboardRow> rows, List<ComparisonRow> comparisons, Map<String, String> datasetNames) {
    switch (this) {
      case JSON -> json(out, rows, comparisons);
      case CSV -> {
        out.println("rank,dataset,model,variant,split,seeds,rsum_mean,rsum_std,i2t_r1_mean,i2t_r1_std,t2i_r1_mean,t2i_r1_std,"
            + "best_seed,best_rsum,baseline,paired_seeds,rsum_delta,rsum_delta_ci_low,rsum_delta_ci_high,p_a_greater,"
            + "p_a_greater_low,p_a_greater_high,p,p_holm,p_t,p_equivalence_holm,equivalence_bound,alpha,outcome");
        for (LeaderboardRow r : rows) {
          Optional<ComparisonRow> c = comparison(comparisons, r, Measure.RSUM.name());
          out.println(String.join(",", Integer.toString(r.rank()), csv(r.datasetId()), csv(r.model()), csv(r.variant()),
              r.split(), Integer.toString(r.seeds()), num(r.rsumMean()), num(r.rsumStd()), num(r.i2tR1Mean()),
              num(r.i2tR1Std()), num(r.t2iR1Mean()), num(r.t2iR1Std()), Long.toString(r.bestSeed()), num(r.bestRsum()),
              c.map(x -> csv(x.baseline())).orElse(""), c.map(x -> Integer.toString(x.n())).orElse(""),
              num(c, ComparisonRow::meanDelta), num(c, ComparisonRow::ciLow), num(c, ComparisonRow::ciHigh),
              num(c, ComparisonRow::pAGreater), num(c, ComparisonRow::pAGreaterLow), num(c, ComparisonRow::pAGreaterHigh),
              num(c, ComparisonRow::p), num(c, ComparisonRow::pHolm), num(c, ComparisonRow::pT),
              num(c, ComparisonRow::pEquivalenceHolm), num(c, ComparisonRow::bound),
              c.map(x -> num(x.alpha())).orElse(""), c.map(ComparisonRow::outcome).orElse("")));
        }
      }
      case TABLE -> table(out, rows, comparisons, datasetNames);
    }
    out.flush();
  }

  private static void json(PrintWriter out, List<LeaderboardRow> rows, List<ComparisonRow> comparisons) {
    ObjectMapper mapper = new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    ArrayNode array = mapper.createArrayNode();
    for (LeaderboardRow r : rows) {
      ObjectNode item = mapper.valueToTree(r);
      // per measure, the stored comparison with the baseline (none for the baseline itself)
      ObjectNode byMeasure = item.putObject("comparisons");
      comparisons.stream().filter(c -> same(c, r)).forEach(c -> byMeasure.set(c.measure(), mapper.valueToTree(c)));
      array.add(item);
    }
    try {
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void table(PrintWriter out, List<LeaderboardRow> rows, List<ComparisonRow> comparisons,
      Map<String, String> names) {
    if (rows.isEmpty()) {
      out.println("(no results yet)");
      return;
    }
    String group = null;
    for (LeaderboardRow r : rows) {
      String dataset = names.containsKey(r.datasetId()) ? names.get(r.datasetId()) + " (" + r.datasetId() + ")" : r.datasetId();
      String g = dataset + " · " + r.model() + " · " + r.split();
      if (!g.equals(group)) {
        group = g;
        out.println();
        out.println(g);
        out.printf(Locale.ROOT, "  %-4s %-40s %5s %17s %15s %15s  %-28s %-18s %-22s %s%n", "rank", "loss variant", "seeds",
            "rSum", "i2t R@1", "t2i R@1", "Δ rSum vs baseline [95 %]", "P(A>B) [95 %]", "p (pT)", "outcome");
      }
      Optional<ComparisonRow> c = comparison(comparisons, r, Measure.RSUM.name());
      boolean baseline = comparisons.stream().anyMatch(x -> x.baseline().equals(r.variant()) && x.datasetId().equals(r.datasetId())
          && x.model().equals(r.model()) && x.split().equals(r.split()));
      out.printf(Locale.ROOT, "  %-4d %-40s %5d %17s %15s %15s  %-28s %-18s %-22s %s%n", r.rank(), r.variant(), r.seeds(),
          pm(r.rsumMean(), r.rsumStd()), pm(r.i2tR1Mean(), r.i2tR1Std()), pm(r.t2iR1Mean(), r.t2iR1Std()),
          c.map(x -> Figures.signedInterval(x.meanDelta(), x.ciLow(), x.ciHigh())).orElse(baseline ? "baseline" : "–"),
          c.map(x -> Figures.shareInterval(x.pAGreater(), x.pAGreaterLow(), x.pAGreaterHigh())).orElse(""),
          c.map(ComparisonText::p).orElse(""), c.map(ComparisonRow::outcome).orElse(""));
    }
    List<ComparisonRow> rsum = comparisons.stream().filter(x -> x.measure().equals(Measure.RSUM.name())).toList();
    if (rsum.isEmpty()) {
      out.println();
      out.println("(no comparisons with the baseline yet: they are computed when the benchmark finishes)");
    } else {
      out.println();
      ComparisonText.footnotes(rsum).forEach(out::println);
    }
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

  private static String num(Optional<ComparisonRow> c, java.util.function.Function<ComparisonRow, Double> field) {
    return c.map(field).map(LeaderboardFormat::num).orElse("");
  }

  private static String num(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
