package io.holdfast.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LruCacheTest {
  /** Keys weigh the number after their first letter: "a4" weighs 4. */
  private static long weight(String key) {
    return Long.parseLong(key.substring(1));
  }

  @Test
  void theLeastRecentlyUsedEntriesGoFirstOnceTheWeightIsExceeded() {
    List<String> loads = new CopyOnWriteArrayList<>();
    LruCache<String, String> cache = new LruCache<>(10, LruCacheTest::weight);
    Function<String, String> loader = k -> {
      loads.add(k);
      return k.toUpperCase();
    };
    assertThat(cache.get("a4", loader)).isEqualTo("A4");
    cache.get("b4", loader);
    cache.get("a4", loader); // a is now the most recent
    cache.get("c4", loader); // 12 > 10: b goes
    assertThat(cache.size()).isEqualTo(2);
    cache.get("a4", loader);
    cache.get("b4", loader);
    assertThat(loads).containsExactly("a4", "b4", "c4", "b4");
  }

  @Test
  void anEntryHeavierThanTheWholeCacheIsReturnedButNotKept() {
    LruCache<String, String> cache = new LruCache<>(10, LruCacheTest::weight);
    cache.get("s3", k -> "small");
    assertThat(cache.get("b11", k -> "big")).isEqualTo("big");
    assertThat(cache.size()).isEqualTo(1);
    cache.clear();
    assertThat(cache.size()).isZero();
  }

  @Test
  void aFailedLoadIsThrownAndNotKept() {
    LruCache<String, String> cache = new LruCache<>(10, LruCacheTest::weight);
    assertThatThrownBy(() -> cache.get("a1", k -> {
      throw new IllegalStateException("damaged");
    })).isInstanceOf(IllegalStateException.class).hasMessage("damaged");
    assertThat(cache.size()).isZero();
    assertThat(cache.get("a1", k -> "fine")).isEqualTo("fine");
  }

  @Test
  void aKeyBeingLoadedIsLoadedOnceForAllWhoAsk() throws Exception {
    LruCache<String, String> cache = new LruCache<>(10, LruCacheTest::weight);
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      cache.prefetch("a1", k -> {
        loads.incrementAndGet();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "A";
      }, pool);
      Future<String> waiter = pool.submit(() -> cache.get("a1", k -> {
        loads.incrementAndGet();
        return "second load";
      }));
      cache.prefetch("a1", k -> "third load", pool);
      release.countDown();
      assertThat(waiter.get()).isEqualTo("A");
      assertThat(loads).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
