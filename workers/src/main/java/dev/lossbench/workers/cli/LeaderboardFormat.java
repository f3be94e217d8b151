package dev.lossbench.workers.cli;

import dev.lossbench.workers.format.Figures;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lossbench.schema.repository.LeaderboardRow;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The leaderboard as a table for people, CSV for spreadsheets, or JSON for scripts. */
enum LeaderboardFormat {
  TABLE, CSV, JSON;

  void print(PrintWriter out, List<LeaderboardRow> rows) {
    print(out, rows, Map.of());
  }

  /** @param datasetNames the matrix's names of the datasets by id, shown in tables instead of ids */
  void print(PrintWriter out, List<LeaderboardRow> rows, Map<String, String> datasetNames) {
    switch (this) {
      case JSON -> {
        try {
          out.println(new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
              .writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      case CSV -> {
        out.println("dataset,model,variant,split,seeds,rsum_mean,rsum_std,i2t_r1_mean,i2t_r1_std,t2i_r1_mean,t2i_r1_std,best_seed,best_rsum");
        for (LeaderboardRow r : rows) {
          out.println(String.join(",", csv(r.datasetId()), csv(r.model()), csv(r.variant()), r.split(), Integer.toString(r.seeds()),
              num(r.rsumMean()), num(r.rsumStd()), num(r.i2tR1Mean()), num(r.i2tR1Std()), num(r.t2iR1Mean()), num(r.t2iR1Std()),
              Long.toString(r.bestSeed()), num(r.bestRsum())));
        }
      }
      case TABLE -> table(out, rows, datasetNames);
    }
    out.flush();
  }

  private static void table(PrintWriter out, List<LeaderboardRow> rows, Map<String, String> names) {
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
        out.printf(Locale.ROOT, "  %-4s %-40s %5s %17s %15s %15s%n", "rank", "loss variant", "seeds", "rSum", "i2t R@1", "t2i R@1");
      }
      int rank = (int) rows.stream().filter(o -> o.datasetId().equals(r.datasetId()) && o.model().equals(r.model())
          && o.split().equals(r.split()) && o.rsumMean() > r.rsumMean()).count() + 1;
      out.printf(Locale.ROOT, "  %-4d %-40s %5d %17s %15s %15s%n", rank, r.variant(), r.seeds(), pm(r.rsumMean(), r.rsumStd()),
          pm(r.i2tR1Mean(), r.i2tR1Std()), pm(r.t2iR1Mean(), r.t2iR1Std()));
    }
  }

  private static String pm(double mean, Double std) {
    return Figures.meanStd(mean, std);
  }

  private static String num(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
