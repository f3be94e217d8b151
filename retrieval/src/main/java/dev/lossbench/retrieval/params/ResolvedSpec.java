package dev.lossbench.retrieval.params;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

/**
 * A named spec whose parameters are all resolved (every key known and in range, defaults filled):
 * the shared shape of loss and model specs. Two specs are equal when their canonical texts are.
 */
public abstract class ResolvedSpec {
  private final String id;
  private final List<Param> known;
  private final SortedMap<String, Object> params;

  protected ResolvedSpec(String id, List<Param> known, SortedMap<String, Object> params) {
    this.id = id;
    this.known = known;
    this.params = Collections.unmodifiableSortedMap(params);
  }

  /** Every parameter, defaults included, sorted by key. */
  public SortedMap<String, Object> params() {
    return params;
  }

  public double number(String key) {
    return ((Number) params.get(key)).doubleValue();
  }

  public int integer(String key) {
    return ((Number) params.get(key)).intValue();
  }

  public boolean flag(String key) {
    return (Boolean) params.get(key);
  }

  /** All parameters, sorted: the form that identifies the spec in hashes and the store. */
  public String canonical() {
    return id + ":" + Params.canonical(params);
  }

  /** Only the parameters that differ from their defaults: the short label shown in leaderboards. */
  public String label() {
    String diff = Params.nonDefault(known, params);
    return diff.isEmpty() ? id : id + ":" + diff;
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((ResolvedSpec) o).canonical().equals(canonical());
  }

  @Override
  public final int hashCode() {
    return canonical().hashCode();
  }

  @Override
  public final String toString() {
    return canonical();
  }
}
