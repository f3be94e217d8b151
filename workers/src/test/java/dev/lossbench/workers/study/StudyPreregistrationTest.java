package dev.lossbench.workers.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.workers.study.Preregistration.Standing;
import dev.lossbench.workers.study.StudyInput.EpochPoint;
import dev.lossbench.workers.study.StudyInput.StudyDataset;
import dev.lossbench.workers.study.StudyInput.StudyRun;
import dev.lossbench.workers.study.StudyResult.ClaimVerdict;
import dev.lossbench.workflows.matrix.AnalysisPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The matrix's study: block decides the analysis; options that change it are refused or make it exploratory. */
class StudyPreregistrationTest {
  private static final String U20 = "unified:gamma=20,margin=0.2";
  private static final String U50 = "unified:gamma=50,margin=0.2";
  private static final Preregistration BLOCK = new Preregistration(new AnalysisPlan(0.01,
      Map.of("rsum", AnalysisPlan.EquivalenceBound.parse("3")), Preregistration.CURVE_AREA, List.of(U20),
      List.of("rsum")));

  private static StudyOptions options(Preregistration pre, String unified, Double alpha, Double rsum,
      boolean exploratory) {
    return Preregistration.options(pre, null, null, null, unified, null, null, null, alpha, rsum, null, exploratory);
  }

  @Test
  void anOptionThatChangesTheBlockIsRefusedInOneLineNamingTheMatrixValue() {
    var e = assertThrows(InvalidInputException.class, () -> options(BLOCK, U50, null, null, false));
    assertEquals("--unified " + U50 + " changes the analysis the matrix pre-registered (study: unified " + U20
        + "): drop the option, or add --exploratory to run it as an exploratory analysis", e.getMessage());
    var a = assertThrows(InvalidInputException.class, () -> options(BLOCK, null, 0.05, null, false));
    assertTrue(a.getMessage().startsWith("--alpha 0.05 changes the analysis the matrix pre-registered (study: alpha"
        + " 0.01)"), a.getMessage());
    var b = assertThrows(InvalidInputException.class, () -> options(BLOCK, null, null, 5.0, false));
    assertTrue(b.getMessage().contains("(study: equivalence.rsum 3)"), b.getMessage());
    // the same values as the block are no change
    StudyOptions same = options(BLOCK, U20, 0.01, null, false);
    assertEquals(0.01, same.alpha());
    assertTrue(same.matrixBounds());
    assertEquals(0.01, options(BLOCK, null, null, null, false).alpha(), "alpha from the matrix when not given");
  }

  @Test
  void everyVerdictSaysWhetherTheAnalysisWasPreRegistered() {
    StudyInput runs = runs(null);
    StudyResult plain = Study.compute(runs, options(null, null, null, null, false));
    assertEquals(Standing.NOT_PRE_REGISTERED, plain.standing());
    assertTrue(plain.verdicts().stream().allMatch(v -> v.standing() == Standing.NOT_PRE_REGISTERED));

    StudyResult registered = Study.compute(runs(BLOCK), options(BLOCK, null, null, null, false));
    assertEquals(Standing.PRE_REGISTERED, registered.standing());
    assertEquals(U20, registered.judged(), "the block's variant, though " + U50 + " is better on validation");
    assertEquals("pre-registered", registered.judgedBy());
    assertEquals(0.01, registered.options().alpha());
    ClaimVerdict c2 = registered.verdict(2);
    assertEquals(1, c2.family(), "no correction for choosing: the matrix named it before the runs");
    assertTrue(c2.reason().contains("±3.00 rSum"), "the block's bound: " + c2.reason());

    StudyResult exploring = Study.compute(runs(BLOCK), options(BLOCK, U50, 0.05, null, true));
    assertEquals(Standing.EXPLORATORY, exploring.standing());
    assertTrue(exploring.verdicts().stream().allMatch(v -> v.standing() == Standing.EXPLORATORY));
    assertEquals(U50, exploring.judged());
    assertEquals(2, exploring.verdict(2).family(), "named after the runs exist: corrected over both candidates");
  }

  @Test
  void withoutABlockANamedVariantIsStillCorrectedForTheCandidates() {
    StudyResult r = Study.compute(runs(null), options(null, U20, null, null, false));
    assertEquals("option", r.judgedBy());
    assertEquals(2, r.verdict(2).family());
    assertEquals(Standing.NOT_PRE_REGISTERED, r.verdict(2).standing());
  }

  // two unified candidates (γ = 50 better on validation), VLC and Triplet-HN, 6 seeds on one dataset
  private static StudyInput runs(Preregistration pre) {
    List<StudyRun> runs = new ArrayList<>();
    String[] variants = {U20, U50, "infonce:tau=0.05", "triplet-hn"};
    double[] best = {250, 260, 240, 230};
    double[] test = {310, 312, 300, 295};
    for (int v = 0; v < variants.length; v++) {
      for (int s = 1; s <= 6; s++) {
        List<EpochPoint> epochs = List.of(new EpochPoint(1, best[v] - 60, 1), new EpochPoint(2, best[v] - 10 + s, 1),
            new EpochPoint(3, best[v] + s, 1));
        String label = variants[v];
        runs.add(new StudyRun(label + s, "d", "m", label.substring(0, label.indexOf(':') < 0
            ? label.length()
            : label.indexOf(':')), label, s, epochs, test[v] + s * (v + 1) * 0.5));
      }
    }
    return new StudyInput("benchmark-p", "p", List.of(new StudyDataset("d", "d", 100L, null)), runs, pre);
  }
}
