package dev.lossbench.workers.study;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lossbench.retrieval.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The analysis a matrix's {@code study:} block fixed before its runs existed (part of the matrix and of its hash):
 * the judged unified variant(s), α, the equivalence bounds and the primary measures. {@code lossbench study} takes
 * them from here; an option that changes one of them is refused unless the study is run as exploratory, and then
 * every verdict says so. One place decides that: {@link #options}.
 *
 * @param unified the unified variant(s) the verdicts judge; with several, the best on validation among them, its
 *     p-values Holm-corrected over them (never over the benchmark's other unified variants)
 * @param alpha family-wise significance level
 * @param equivalenceRsum smallest rSum difference of interest (TOST bound), in rSum points
 * @param equivalenceEpochs the same for epochs-valued measures
 * @param primary the measures the claims decide on, as the matrix names them
 */
public record Preregistration(List<String> unified, double alpha, double equivalenceRsum, double equivalenceEpochs,
    List<String> primary) {

  public Preregistration {
    unified = List.copyOf(unified);
    primary = List.copyOf(primary);
  }

  /** The block as the stored matrix (its JSON spec) has it; null when the matrix has none. */
  public static Preregistration of(JsonNode spec) {
    JsonNode study = spec == null ? null : spec.get("study");
    if (study == null || study.isNull() || study.isMissingNode()) {
      return null;
    }
    List<String> unified = new ArrayList<>();
    JsonNode u = study.path("unified");
    if (u.isTextual()) {
      unified.add(u.asText());
    }
    u.forEach(x -> unified.add(x.asText()));
    JsonNode bounds = study.path("equivalence");
    List<String> primary = new ArrayList<>();
    study.path("primary").forEach(x -> primary.add(x.asText()));
    return new Preregistration(unified, study.path("alpha").asDouble(StudyOptions.DEFAULT_ALPHA),
        bounds.path("rsum").asDouble(StudyOptions.DEFAULT_EQUIVALENCE_RSUM),
        bounds.path("epochs").asDouble(StudyOptions.DEFAULT_EQUIVALENCE_EPOCHS), primary);
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
    double r = equivalenceRsum != null ? equivalenceRsum
        : pre != null ? pre.equivalenceRsum() : StudyOptions.DEFAULT_EQUIVALENCE_RSUM;
    double e = equivalenceEpochs != null ? equivalenceEpochs
        : pre != null ? pre.equivalenceEpochs() : StudyOptions.DEFAULT_EQUIVALENCE_EPOCHS;
    if (pre != null && !exploratory) {
      refuseChange("--unified", unified, pre.unified().isEmpty() ? null : String.join(", ", pre.unified()),
          unified == null || pre.unified().equals(List.of(unified)));
      refuseChange("--alpha", alpha, pre.alpha(), alpha == null || alpha == pre.alpha());
      refuseChange("--equivalence-rsum", equivalenceRsum, pre.equivalenceRsum(),
          equivalenceRsum == null || equivalenceRsum == pre.equivalenceRsum());
      refuseChange("--equivalence-epochs", equivalenceEpochs, pre.equivalenceEpochs(),
          equivalenceEpochs == null || equivalenceEpochs == pre.equivalenceEpochs());
    }
    try {
      return new StudyOptions(model, triplet, vlc, unified, datasets, earlyEpochs,
          threshold != null ? threshold : StudyOptions.DEFAULT_THRESHOLD, a, r, e, exploratory);
    } catch (IllegalArgumentException x) {
      throw new InvalidInputException(x.getMessage());
    }
  }

  private static void refuseChange(String option, Object given, Object registered, boolean same) {
    if (!same) {
      throw new InvalidInputException(option + " " + given + " changes the analysis the matrix pre-registered (study: "
          + option.substring(2) + " " + (registered == null ? "not set" : registered)
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
