package io.holdfast.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LruCacheTest {
  @Test
  void theLeastRecentlyUsedEntriesGoFirstOnceTheWeightIsExceeded() {
    List<String> loads = new ArrayList<>();
    LruCache<String, byte[]> cache = new LruCache<>(10, b -> b.length);
    java.util.function.Function<String, byte[]> loader = k -> {
      loads.add(k);
      return new byte[Integer.parseInt(k.substring(1))];
    };
    cache.get("a4", loader);
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
    LruCache<String, byte[]> cache = new LruCache<>(10, b -> b.length);
    cache.get("small", k -> new byte[3]);
    assertThat(cache.get("big", k -> new byte[11])).hasSize(11);
    assertThat(cache.size()).isEqualTo(1);
    cache.clear();
    assertThat(cache.size()).isZero();
  }
}
