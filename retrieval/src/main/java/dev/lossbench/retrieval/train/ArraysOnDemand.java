package dev.lossbench.retrieval.train;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A read-only map of named arrays, each made from its source when its entry is reached (every time: nothing is kept),
 * in the sources' order: a checkpoint's arrays pass through the heap one at a time, not all at once (a CLIP-sized
 * module's weights and moments are gigabytes). {@link TensorArrays}: live tensors a checkpoint writes without making
 * arrays at all.
 */
class ArraysOnDemand<S> extends AbstractMap<String, float[]> {
  private final Map<String, S> sources;
  private final BiFunction<String, S, float[]> make;

  ArraysOnDemand(Map<String, S> sources, BiFunction<String, S, float[]> make) {
    this.sources = Collections.unmodifiableMap(sources);
    this.make = make;
  }

  /** The source of {@code name}'s array, or null. */
  final S source(String name) {
    return sources.get(name);
  }

  @Override
  public int size() {
    return sources.size();
  }

  @Override
  public boolean containsKey(Object key) {
    return sources.containsKey(key);
  }

  @Override
  public Set<String> keySet() {
    return sources.keySet();
  }

  @Override
  public float[] get(Object key) {
    S source = sources.get(key);
    return source == null ? null : make.apply((String) key, source);
  }

  @Override
  public Set<Entry<String, float[]>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, float[]>> iterator() {
        Iterator<Map.Entry<String, S>> it = sources.entrySet().iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Entry<String, float[]> next() {
            Map.Entry<String, S> e = it.next();
            return new SimpleImmutableEntry<>(e.getKey(), make.apply(e.getKey(), e.getValue()));
          }
        };
      }

      @Override
      public int size() {
        return sources.size();
      }
    };
  }
}
