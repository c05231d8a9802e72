package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.BlobStore;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link BlobStore} must have. Extend it in the store's own test module, return
 * a fresh, empty store from {@link #newStore()}, and add tests for what only that store does.
 *
 * <p>Each test gets its own store in {@link #store}, closed after the test; a subclass that made
 * more (a file system, a server) releases it in its own {@code @AfterEach}, which JUnit runs
 * first. Keys follow the repository layout ({@code data/ab/<sha-256>}, {@code snapshots/<id>}).
 */
public abstract class BlobStoreContract {

  /** The store under test, fresh for every test. */
  protected BlobStore store;

  /** A new, empty store; called once before every test. */
  protected abstract BlobStore newStore() throws IOException;

  @BeforeEach
  protected final void openStore() throws IOException {
    store = newStore();
  }

  @AfterEach
  protected final void closeStore() throws IOException {
    if (store != null) {
      store.close();
    }
  }

  // ---- put and get

  @Test
  public void getReturnsWhatPutStored() throws IOException {
    byte[] data = bytes(1000, 1);
    String key = dataKey(1);

    store.put(key, data);

    assertThat(store.get(key)).isEqualTo(data);
  }

  @Test
  public void aRangedPutStoresExactlyTheRange() throws IOException {
    byte[] data = bytes(1000, 11);
    String key = dataKey(11);

    store.put(key, data, 100, 600);

    assertThat(store.get(key)).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 700));
    assertThat(store.stat(key).size()).isEqualTo(600);
    assertThatThrownBy(() -> store.put(dataKey(12), data, 900, 200)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> store.put(key, data, 0, 10)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
  }

  @Test
  public void storesAnEmptyObject() throws IOException {
    String key = dataKey(2);

    store.put(key, new byte[0]);

    assertThat(store.get(key)).isEmpty();
    assertThat(store.stat(key).size()).isZero();
    assertThat(store.get(key, 0, 0)).isEmpty();
  }

  @Test
  public void storesALargeObject() throws IOException {
    byte[] data = bytes(20 << 20, 3);
    String key = dataKey(3);

    store.put(key, data);

    assertThat(store.stat(key).size()).isEqualTo(data.length);
    assertThat(Arrays.equals(store.get(key), data)).as("whole object equal").isTrue();
    int offset = 13 << 20;
    assertThat(store.get(key, offset, 1 << 20))
        .isEqualTo(Arrays.copyOfRange(data, offset, offset + (1 << 20)));
  }

  @Test
  public void putRefusesAnExistingKeyAndKeepsTheOriginal() throws IOException {
    String key = dataKey(4);
    byte[] original = bytes(100, 4);
    store.put(key, original);

    assertThatThrownBy(() -> store.put(key, bytes(200, 5)))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(key);

    assertThat(store.get(key)).isEqualTo(original);
    assertThat(store.list("")).containsExactly(new BlobInfo(key, 100));
  }

  @Test
  public void putCopiesTheCallersArray() throws IOException {
    String key = dataKey(6);
    byte[] data = bytes(64, 6);
    byte[] expected = data.clone();

    store.put(key, data);
    Arrays.fill(data, (byte) 0);

    assertThat(store.get(key)).isEqualTo(expected);
  }

  @Test
  public void getReturnsACopyTheCallerMayChange() throws IOException {
    String key = dataKey(7);
    byte[] data = bytes(64, 7);
    store.put(key, data);

    Arrays.fill(store.get(key), (byte) 0);
    Arrays.fill(store.get(key, 8, 16), (byte) 0);

    assertThat(store.get(key)).isEqualTo(data);
  }

  // ---- missing keys

  @Test
  public void everyOperationOnAMissingKeyThrowsNoSuchFileNamingIt() throws IOException {
    String key = dataKey(8);
    store.put(dataKey(9), bytes(10, 9));

    assertMissing(key, () -> store.get(key));
    assertMissing(key, () -> store.get(key, 0, 1));
    assertMissing(key, () -> store.stat(key));
    assertMissing(key, () -> store.delete(key));
  }

  @Test
  public void aKeyThatIsOnlyThePrefixOfAnObjectIsMissing() throws IOException {
    String key = dataKey(12);
    store.put(key, bytes(10, 12));
    String directoryLike = key.substring(0, "data/ab".length());

    assertMissing(directoryLike, () -> store.get(directoryLike));
    assertMissing(directoryLike, () -> store.stat(directoryLike));
    assertMissing(directoryLike, () -> store.delete(directoryLike));
    assertThat(store.get(key)).hasSize(10);
  }

  // ---- ranged reads

  @Test
  public void rangedGetReturnsExactlyTheRequestedBytes() throws IOException {
    String key = dataKey(13);
    byte[] data = bytes(1000, 13);
    store.put(key, data);

    assertThat(store.get(key, 0, 10)).isEqualTo(Arrays.copyOfRange(data, 0, 10));
    assertThat(store.get(key, 500, 123)).isEqualTo(Arrays.copyOfRange(data, 500, 623));
    assertThat(store.get(key, 17, 0)).isEmpty();
  }

  @Test
  public void rangedGetMayEndExactlyAtTheEnd() throws IOException {
    String key = dataKey(14);
    byte[] data = bytes(1000, 14);
    store.put(key, data);

    assertThat(store.get(key, 0, 1000)).isEqualTo(data);
    assertThat(store.get(key, 996, 4)).isEqualTo(Arrays.copyOfRange(data, 996, 1000));
    assertThat(store.get(key, 1000, 0)).isEmpty();
  }

  @Test
  public void rangedGetPastTheEndThrowsEof() throws IOException {
    String key = dataKey(15);
    store.put(key, bytes(1000, 15));

    assertThatThrownBy(() -> store.get(key, 996, 5))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining(key);
    assertThatThrownBy(() -> store.get(key, 0, 1001)).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> store.get(key, 1001, 0)).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> store.get(key, Long.MAX_VALUE, Integer.MAX_VALUE))
        .isInstanceOf(EOFException.class);
  }

  @Test
  public void rangedGetRejectsANegativeOffsetOrLength() throws IOException {
    String key = dataKey(16);
    store.put(key, bytes(100, 16));

    assertThatThrownBy(() -> store.get(key, -1, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.get(key, 0, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- list, stat, delete

  @Test
  public void listReturnsEveryObjectUnderAPrefixWithItsSize() throws IOException {
    store.put("config", bytes(5, 0));
    store.put("data/ab/ab01", bytes(10, 1));
    store.put("data/ab/ab02", bytes(20, 2));
    store.put("data/cd/cd01", bytes(30, 3));
    store.put("snapshots/0001", bytes(40, 4));

    assertThat(store.list("data/"))
        .containsExactlyInAnyOrder(
            new BlobInfo("data/ab/ab01", 10),
            new BlobInfo("data/ab/ab02", 20),
            new BlobInfo("data/cd/cd01", 30));
    assertThat(store.list("data/ab/"))
        .containsExactlyInAnyOrder(
            new BlobInfo("data/ab/ab01", 10), new BlobInfo("data/ab/ab02", 20));
    assertThat(store.list("snapshots/")).containsExactly(new BlobInfo("snapshots/0001", 40));
    assertThat(store.list("")).hasSize(5).contains(new BlobInfo("config", 5));
  }

  @Test
  public void listOfAPrefixThatMatchesNothingIsEmpty() throws IOException {
    store.put("data/ab/ab01", bytes(10, 1));

    assertThat(store.list("index/")).isEmpty();
    assertThat(store.list("data/ef/")).isEmpty();
    assertThat(store.list("locks/deeper/still/")).isEmpty();
    assertThat(store.list("data/ab/ab01/")).isEmpty();
    assertThat(store.list("data/ab/ab011")).isEmpty();
  }

  @Test
  public void listMatchesAPartialNameNotOnlyWholeSegments() throws IOException {
    store.put("data/ab/ab01", bytes(1, 1));
    store.put("data/ac/ac01", bytes(2, 2));
    store.put("data/abc/abc01", bytes(3, 3));
    store.put("data/bb/bb01", bytes(4, 4));
    store.put("snapshots/1234", bytes(5, 5));
    store.put("snapshots/5678", bytes(6, 6));

    assertThat(keys(store.list("data/a")))
        .containsExactlyInAnyOrder("data/ab/ab01", "data/ac/ac01", "data/abc/abc01");
    assertThat(keys(store.list("data/ab")))
        .containsExactlyInAnyOrder("data/ab/ab01", "data/abc/abc01");
    assertThat(keys(store.list("data/ab/ab0"))).containsExactly("data/ab/ab01");
    assertThat(keys(store.list("snapshots/12"))).containsExactly("snapshots/1234");
    assertThat(keys(store.list("snap"))).hasSize(2);
    assertThat(keys(store.list("d"))).hasSize(4);
  }

  @Test
  public void listReturnsAListTheCallerMayChange() throws IOException {
    store.put("snapshots/b", bytes(1, 1));
    store.put("snapshots/a", bytes(1, 2));

    List<BlobInfo> listed = store.list("snapshots/");
    listed.sort((x, y) -> x.key().compareTo(y.key()));
    listed.clear();

    assertThat(store.list("snapshots/")).hasSize(2);
  }

  @Test
  public void statReportsTheKeyAndSize() throws IOException {
    String key = dataKey(17);
    store.put(key, bytes(4321, 17));

    assertThat(store.stat(key)).isEqualTo(new BlobInfo(key, 4321));
  }

  @Test
  public void deletedObjectIsGoneAndItsKeyCanBePutAgain() throws IOException {
    String key = dataKey(18);
    String neighbour = dataKey(19);
    store.put(key, bytes(100, 18));
    store.put(neighbour, bytes(100, 19));

    store.delete(key);

    assertThatThrownBy(() -> store.get(key)).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> store.stat(key)).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(NoSuchFileException.class);
    assertThat(keys(store.list(""))).containsExactly(neighbour);

    byte[] again = bytes(50, 20);
    store.put(key, again);
    assertThat(store.get(key)).isEqualTo(again);
  }

  // ---- key syntax

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/data/ab/ab01",
        "data//ab01",
        "data/ab/",
        "/",
        ".",
        "..",
        "data/./ab01",
        "data/../config",
        "../outside",
        "data/ab/.tmp-123",
        "data\\ab\\ab01",
        "data/a\u0000b"
      })
  public void everyOperationRejectsAMalformedKey(String key) throws IOException {
    assertThatThrownBy(() -> store.put(key, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.get(key, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.stat(key)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.list("")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/data", "data//", "../", "data/../", "./", "data\\", "a\u0000"})
  public void listRejectsAMalformedPrefix(String prefix) {
    assertThatThrownBy(() -> store.list(prefix)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- concurrency

  @Test
  public void concurrentPutsOfDistinctKeysAllSucceed() throws Exception {
    int threads = 16;
    int perThread = 25;
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t * perThread;
      tasks.add(
          () -> {
            for (int i = first; i < first + perThread; i++) {
              store.put(dataKey(i), bytes(1000 + i, i));
            }
            return null;
          });
    }

    for (Future<Void> done : runTogether(tasks)) {
      done.get();
    }

    assertThat(store.list("data/")).hasSize(threads * perThread);
    for (int i = 0; i < threads * perThread; i++) {
      assertThat(store.get(dataKey(i))).isEqualTo(bytes(1000 + i, i));
    }
  }

  @Test
  public void concurrentPutsOfOneKeyHaveExactlyOneWinner() throws Exception {
    int threads = 8;
    for (int round = 0; round < 10; round++) {
      String key = dataKey(1000 + round);
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        byte[] data = new byte[256 << 10];
        Arrays.fill(data, (byte) t);
        tasks.add(
            () -> {
              store.put(key, data);
              return null;
            });
      }

      List<Integer> winners = new ArrayList<>();
      List<Future<Void>> results = runTogether(tasks);
      for (int t = 0; t < threads; t++) {
        try {
          results.get(t).get();
          winners.add(t);
        } catch (ExecutionException e) {
          assertThat(e.getCause())
              .isInstanceOf(FileAlreadyExistsException.class)
              .hasMessageContaining(key);
        }
      }

      assertThat(winners).as("winners of round %d", round).hasSize(1);
      byte[] expected = new byte[256 << 10];
      Arrays.fill(expected, (byte) (int) winners.get(0));
      assertThat(Arrays.equals(store.get(key), expected))
          .as("stored bytes are exactly the winner's")
          .isTrue();
    }
  }

  // ---- helpers for subclasses too

  /** A data-pack key as the repository lays it out: {@code data/<2 hex>/<sha-256 hex>}. */
  protected static String dataKey(int n) {
    String id = sha256(Integer.toString(n));
    return "data/" + id.substring(0, 2) + "/" + id;
  }

  /** {@code size} reproducible pseudo-random bytes, different for each seed. */
  protected static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  /** Asserts that {@code call} fails as a missing {@code key} and says which key. */
  protected static void assertMissing(String key, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(NoSuchFileException.class).hasMessageContaining(key);
  }

  protected static List<String> keys(List<BlobInfo> infos) {
    return infos.stream().map(BlobInfo::key).toList();
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Runs the tasks on their own threads, released at the same instant to collide. */
  private static <T> List<Future<T>> runTogether(List<Callable<T>> tasks)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CyclicBarrier start = new CyclicBarrier(tasks.size());
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return task.call();
                }));
      }
      pool.shutdown();
      if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
        fail("concurrent tasks did not finish within two minutes");
      }
      return futures;
    } finally {
      pool.shutdownNow();
    }
  }
}
