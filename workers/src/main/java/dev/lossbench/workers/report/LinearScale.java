package dev.lossbench.workers.report;

import dev.lossbench.workers.format.Figures;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps data values to SVG coordinates along one axis, with "nice" ticks (steps of 1, 2 or 5 × 10ⁿ,
 * Heckbert's labelling) so that axes read like hand-drawn ones.
 */
final class LinearScale {
  private final double low;
  private final double high;
  private final double step;
  private final double rangeLow;
  private final double rangeHigh;

  private LinearScale(double low, double high, double step, double rangeLow, double rangeHigh) {
    this.low = low;
    this.high = high;
    this.step = step;
    this.rangeLow = rangeLow;
    this.rangeHigh = rangeHigh;
  }

  /**
   * A scale whose domain covers {@code [min, max]}, widened to whole tick steps, with about
   * {@code ticks} ticks, mapped onto {@code [rangeLow, rangeHigh]} (which may run downwards, as a
   * y axis does).
   */
  static LinearScale covering(double min, double max, int ticks, double rangeLow, double rangeHigh) {
    requireFinite(min, max);
    if (!(max > min)) {
      // one value: give it room instead of dividing by a zero span
      double pad = min == 0 ? 1 : Math.abs(min) * 0.05;
      min -= pad;
      max += pad;
    }
    double step = niceNumber(niceNumber(max - min, false) / (ticks - 1), true);
    return new LinearScale(Math.floor(min / step) * step, Math.ceil(max / step) * step, step, rangeLow, rangeHigh);
  }

  /**
   * A scale for whole numbers such as epochs: the domain is exactly {@code [min, max]} (so curves
   * span the plot) and ticks fall on integers only.
   */
  static LinearScale integers(int min, int max, int ticks, double rangeLow, double rangeHigh) {
    if (max < min) {
      throw new IllegalArgumentException("empty domain [" + min + ", " + max + "]");
    }
    if (max == min) {
      return new LinearScale(min - 0.5, max + 0.5, 1, rangeLow, rangeHigh);
    }
    double step = Math.max(1, niceNumber((double) (max - min) / (ticks - 1), true));
    return new LinearScale(min, max, step, rangeLow, rangeHigh);
  }

  double map(double value) {
    return rangeLow + (value - low) / (high - low) * (rangeHigh - rangeLow);
  }

  double low() {
    return low;
  }

  double high() {
    return high;
  }

  /** The tick values inside the domain, lowest first. */
  List<Double> ticks() {
    List<Double> ticks = new ArrayList<>();
    double first = Math.ceil(low / step - 1e-9);
    for (double k = first; k * step <= high + step * 1e-9; k++) {
      ticks.add(k * step);
    }
    return ticks;
  }

  /** A tick label with as many decimals as the step needs: {@code 350}, {@code 0.5}, {@code 0.02}. */
  String label(double tick) {
    // steps are 1, 2 or 5 × 10ⁿ, so the step's order of magnitude says how many decimals it needs
    int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return Figures.fixed(tick, decimals);
  }

  /** Heckbert's nice number near {@code x}: 1, 2, 5 or 10 × 10ⁿ, rounded or the next above. */
  private static double niceNumber(double x, boolean round) {
    double exponent = Math.floor(Math.log10(x));
    double fraction = x / Math.pow(10, exponent);
    double nice;
    if (round) {
      nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
    } else {
      nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    }
    return nice * Math.pow(10, exponent);
  }

  private static void requireFinite(double min, double max) {
    if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
      throw new IllegalArgumentException("not a finite domain: [" + min + ", " + max + "]");
    }
  }
}
