package dev.lossbench.workers.study;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.workflows.matrix.AnalysisPlan;
import dev.lossbench.workflows.matrix.BenchmarkSpec;
import java.util.List;

/**
 * The analysis a matrix's {@code study:} block fixed before its runs existed ({@link AnalysisPlan}, parsed by the
 * matrix parser, part of the matrix and of its hash): the judged unified variant(s), α, the equivalence bounds, the
 * convergence measure and the primary measures. {@code lossbench study} takes them from here; an option that changes
 * one of them is refused unless the study is run as exploratory, and then every verdict says so. One place decides
 * that: {@link #options}.
 *
 * @param plan the block; the judged variant(s) are {@code plan.unified()}: with several, the best on validation among
 *     them, its p-values Holm-corrected over them (never over the benchmark's other unified variants)
 */
public record Preregistration(AnalysisPlan plan) {
  /** The convergence measures the study computes: the area under the validation-rSum curve, epochs to 90 % of own best. */
  public static final String CURVE_AREA = "val_rsum_auc";
  public static final String EPOCHS_TO_OWN_BEST = "epochs_to_90pct_best";

  public List<String> unified() {
    return plan.unified();
  }

  public double alpha() {
    return plan.alpha();
  }

  /** The block as the stored matrix (its canonical JSON) has it; null when the matrix has none. */
  public static Preregistration of(JsonNode spec) {
    if (spec == null || !spec.hasNonNull("study")) {
      return null;
    }
    return new Preregistration(BenchmarkSpec.fromCanonicalJson(spec.toString()).analysisPlan());
  }

  /**
   * The absolute equivalence bound of {@code measure} (a name of {@link AnalysisPlan#measures()}): as declared, or the
   * block's default (1 % of the reference's mean), resolved against the reference's mean of the measure.
   */
  public double bound(String measure, Double referenceMean) {
    return plan.bound(measure).resolve(referenceMean);
  }

  /**
   * The study's options: each value the user gave (non-null), else the matrix's, else the default. A given value
   * that differs from the matrix's is refused — one line naming the option and the matrix's value — unless
   * {@code exploratory}.
   *
   * @param pre the matrix's block; null when it has none (nothing is pre-registered: the options are taken as given)
   * @throws InvalidInputException for an option that changes the pre-registered analysis without --exploratory
   */
  public static StudyOptions options(Preregistration pre, String model, String triplet, String vlc, String unified,
      List<String> datasets, List<Integer> earlyEpochs, Double threshold, Double alpha, Double equivalenceRsum,
      Double equivalenceEpochs, boolean exploratory) {
    double a = alpha != null ? alpha : pre != null ? pre.alpha() : StudyOptions.DEFAULT_ALPHA;
    double r = equivalenceRsum != null ? equivalenceRsum : StudyOptions.DEFAULT_EQUIVALENCE_RSUM;
    double e = equivalenceEpochs != null ? equivalenceEpochs : StudyOptions.DEFAULT_EQUIVALENCE_EPOCHS;
    if (pre != null && !exploratory) {
      refuseChange("--unified", unified, pre.unified().isEmpty() ? null : String.join(", ", pre.unified()),
          unified == null || pre.unified().equals(List.of(unified)), "unified");
      refuseChange("--alpha", alpha, pre.alpha(), alpha == null || alpha == pre.alpha(), "alpha");
      refuseChange("--equivalence-rsum", equivalenceRsum, pre.plan().bound("rsum").text()
          + (pre.plan().bound("rsum").relative() ? " of the reference's mean" : ""), equivalenceRsum == null,
          "equivalence.rsum");
      refuseChange("--equivalence-epochs", equivalenceEpochs, pre.plan().bound(EPOCHS_TO_OWN_BEST).text()
          + (pre.plan().bound(EPOCHS_TO_OWN_BEST).relative() ? " of the reference's mean" : ""),
          equivalenceEpochs == null, "equivalence." + EPOCHS_TO_OWN_BEST);
    }
    // the block's bounds hold unless the user, exploring, gave bounds of their own
    boolean matrixBounds = pre != null && equivalenceRsum == null && equivalenceEpochs == null;
    try {
      return new StudyOptions(model, triplet, vlc, unified, datasets, earlyEpochs,
          threshold != null ? threshold : StudyOptions.DEFAULT_THRESHOLD, a, r, e, exploratory, matrixBounds);
    } catch (IllegalArgumentException x) {
      throw new InvalidInputException(x.getMessage());
    }
  }

  private static void refuseChange(String option, Object given, Object registered, boolean same, String key) {
    if (!same) {
      throw new InvalidInputException(option + " " + given + " changes the analysis the matrix pre-registered (study: "
          + key + " " + (registered == null ? "not set" : registered)
          + "): drop the option, or add --exploratory to run it as an exploratory analysis");
    }
  }

  /** How far a study's verdicts can be trusted as confirmatory, as every output says it. */
  public enum Standing {
    PRE_REGISTERED("pre-registered"), NOT_PRE_REGISTERED("not pre-registered"), EXPLORATORY("exploratory");

    private final String text;

    Standing(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }
}
