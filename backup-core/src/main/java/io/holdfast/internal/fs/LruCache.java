package io.holdfast.internal.fs;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A small least-recently-used cache bounded by the total weight of its keys (the plaintext length
 * of a blob, or 1 for a tree). Each value is loaded once: a caller asking for a key that is being
 * loaded waits for that load instead of starting another. A failed load is not kept. Thread-safe.
 */
final class LruCache<K, V> {
  private final long maxWeight;
  private final ToLongFunction<K> weigher;
  private final LinkedHashMap<K, CompletableFuture<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long weight;

  LruCache(long maxWeight, ToLongFunction<K> weigher) {
    this.maxWeight = maxWeight;
    this.weigher = weigher;
  }

  /** The value for {@code key}, loaded by this thread with {@code loader} if no one has it. */
  V get(K key, Function<K, V> loader) {
    if (weigher.applyAsLong(key) > maxWeight) {
      return loader.apply(key); // larger than the whole cache: use once, keep nothing
    }
    CompletableFuture<V> f = present(key);
    if (f == null) {
      CompletableFuture<V> mine = new CompletableFuture<>();
      f = claim(key, mine);
      if (f == mine) {
        load(key, loader, mine);
      }
    }
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** Starts loading {@code key} on {@code executor} unless it is cached or being loaded. */
  void prefetch(K key, Function<K, V> loader, Executor executor) {
    if (weigher.applyAsLong(key) > maxWeight) {
      return;
    }
    if (present(key) != null) {
      return;
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    if (claim(key, mine) != mine) {
      return;
    }
    try {
      executor.execute(() -> {
        try {
          load(key, loader, mine);
        } catch (RuntimeException | Error e) {
          // a prefetch only helps: the read that needs the value loads it again and reports
        }
      });
    } catch (RejectedExecutionException e) {
      forget(key, mine);
      mine.cancel(false);
    }
  }

  private void load(K key, Function<K, V> loader, CompletableFuture<V> f) {
    try {
      f.complete(loader.apply(key));
    } catch (RuntimeException | Error e) {
      forget(key, f);
      f.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * The future in place for {@code key} (marked used), or null if there is none or it failed: a
   * hit, the common case of reads within one blob, allocates nothing.
   */
  private synchronized CompletableFuture<V> present(K key) {
    CompletableFuture<V> f = entries.get(key);
    return f == null || f.isCompletedExceptionally() ? null : f;
  }

  /** The future in place for {@code key}, after putting {@code offer} there if there was none. */
  private synchronized CompletableFuture<V> claim(K key, CompletableFuture<V> offer) {
    CompletableFuture<V> f = entries.get(key);
    if (f != null && !f.isCompletedExceptionally()) {
      return f;
    }
    if (f != null) {
      weight -= weigher.applyAsLong(key);
    }
    entries.put(key, offer);
    weight += weigher.applyAsLong(key);
    Iterator<Map.Entry<K, CompletableFuture<V>>> it = entries.entrySet().iterator();
    while (weight > maxWeight && it.hasNext()) {
      Map.Entry<K, CompletableFuture<V>> eldest = it.next();
      if (!eldest.getKey().equals(key)) {
        weight -= weigher.applyAsLong(eldest.getKey());
        it.remove();
      }
    }
    return offer;
  }

  private synchronized void forget(K key, CompletableFuture<V> f) {
    if (entries.remove(key, f)) {
      weight -= weigher.applyAsLong(key);
    }
  }

  synchronized void clear() {
    entries.clear();
    weight = 0;
  }

  synchronized int size() {
    return entries.size();
  }
}
