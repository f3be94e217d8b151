package dev.lossbench.workers.compare;

/**
 * A variant against the baseline on one benchmark × dataset × model × split × measure.
 *
 * @param baselineMean the baseline's mean over all its seeds (what a relative bound is a fraction of); null when
 *     the baseline has no value
 * @param variantMean the variant's mean over all its seeds; null when none
 * @param result the paired comparison over the seeds both have (Δ = variant − baseline)
 * @param pHolm {@code result.p()} Holm-adjusted over the variants compared in the same group and measure
 * @param pEquivalenceHolm the TOST p, Holm-adjusted likewise; null without a bound
 * @param alpha the family-wise level the outcome used
 */
public record Comparison(String dataset, String model, String split, Measure measure, String variant,
    String baseline, Double baselineMean, Double variantMean, PairedResult result, Double pHolm,
    Double pEquivalenceHolm, double alpha, Outcome outcome) {}
