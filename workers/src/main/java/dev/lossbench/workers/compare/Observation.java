package dev.lossbench.workers.compare;

import java.util.Map;

/**
 * One run's figures, as the engine reads them.
 *
 * @param values measure name → value (a measure a run lacks is left out, and so is the seed for that measure)
 */
public record Observation(String dataset, String model, String split, String variant, long seed,
    Map<String, Double> values) {
  public Observation {
    values = Map.copyOf(values);
  }
}
