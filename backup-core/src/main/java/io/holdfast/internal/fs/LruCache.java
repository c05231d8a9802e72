package io.holdfast.internal.fs;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A small least-recently-used cache bounded by total weight (bytes of decoded blobs, or a count).
 * Loads happen outside the lock, so two threads may load one key at once; both get a correct value
 * and one is kept. Thread-safe.
 */
final class LruCache<K, V> {
  private final long maxWeight;
  private final ToLongFunction<V> weigher;
  private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long weight;

  LruCache(long maxWeight, ToLongFunction<V> weigher) {
    this.maxWeight = maxWeight;
    this.weigher = weigher;
  }

  V get(K key, Function<K, V> loader) {
    synchronized (this) {
      V v = entries.get(key);
      if (v != null) {
        return v;
      }
    }
    V loaded = loader.apply(key);
    long w = weigher.applyAsLong(loaded);
    if (w > maxWeight) {
      return loaded; // larger than the whole cache: use once, keep nothing
    }
    synchronized (this) {
      V old = entries.put(key, loaded);
      if (old != null) {
        weight -= weigher.applyAsLong(old);
      }
      weight += w;
      Iterator<Map.Entry<K, V>> it = entries.entrySet().iterator();
      while (weight > maxWeight && it.hasNext()) {
        Map.Entry<K, V> eldest = it.next();
        if (eldest.getKey().equals(key)) {
          continue;
        }
        weight -= weigher.applyAsLong(eldest.getValue());
        it.remove();
      }
    }
    return loaded;
  }

  synchronized void clear() {
    entries.clear();
    weight = 0;
  }

  synchronized int size() {
    return entries.size();
  }
}
