package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.BlobStore;
import io.holdfast.testkit.BlobStoreContract;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@link BlobStoreContract} plus what only a directory store promises: its layout on disk and
 * its temporary files. Subclasses choose the file system.
 */
abstract class LocalBlobStoreContract extends BlobStoreContract {

  /** The root of the current test's store. */
  protected Path root;

  /** A root for a new store: it need not exist yet. */
  protected abstract Path newRoot() throws IOException;

  @Override
  protected final BlobStore newStore() throws IOException {
    root = newRoot();
    return open(root);
  }

  /** Opens a store on {@code root}; overridden to choose how puts publish. */
  protected LocalBlobStore open(Path root) throws IOException {
    return new LocalBlobStore(root);
  }

  @Test
  void anObjectIsTheFileAtItsKeyBelowTheRoot() throws IOException {
    String key = dataKey(1);
    String id = key.substring("data/ab/".length());
    byte[] data = bytes(100, 1);

    store.put(key, data);

    Path expected = root.resolve("data").resolve(id.substring(0, 2)).resolve(id);
    assertThat(Files.readAllBytes(expected)).isEqualTo(data);
    assertThat(filesBelow(root)).containsExactly(expected);
  }

  @Test
  void aLeftOverTempFileIsNeitherListedNorReachableAsAKey() throws IOException {
    String key = dataKey(2);
    Path dir = root.resolve("data").resolve(key.substring(5, 7));
    Files.createDirectories(dir);
    String tempName = LocalBlobStore.TEMP_PREFIX + "0123456789abcdef";
    Files.write(dir.resolve(tempName), bytes(10, 2));

    assertThat(store.list("")).isEmpty();
    assertThat(store.list("data/")).isEmpty();
    assertThat(store.list(key.substring(0, 8))).isEmpty();
    assertThatThrownBy(() -> store.stat(key.substring(0, 8) + tempName))
        .isInstanceOf(IllegalArgumentException.class);

    store.put(key, bytes(20, 3));
    assertThat(store.list("data/")).containsExactly(new BlobInfo(key, 20));
  }

  @Test
  void listIgnoresHiddenFilesAndDirectories() throws IOException {
    Files.createDirectories(root.resolve(".git"));
    Files.write(root.resolve(".git").resolve("config"), new byte[1]);
    Files.createDirectories(root.resolve("data").resolve(".cache"));
    Files.write(root.resolve("data").resolve(".cache").resolve("x"), new byte[1]);
    Files.write(root.resolve("data").resolve(".DS_Store"), new byte[1]);
    store.put("data/ab/ab01", new byte[3]);

    assertThat(keys(store.list(""))).containsExactly("data/ab/ab01");
  }

  @Test
  void aFailedPutLeavesNoTempFileAndNoObject() throws IOException {
    String key = dataKey(4);
    // An interrupted thread makes the first write of the new temporary file fail, after the
    // store has created it: the one point where cleanup matters.
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> store.put(key, bytes(1000, 4)))
          .isInstanceOf(ClosedByInterruptException.class);
    } finally {
      Thread.interrupted();
    }

    assertThat(filesBelow(root)).isEmpty();
    assertThatThrownBy(() -> store.get(key)).isInstanceOf(NoSuchFileException.class);
    store.put(key, bytes(1000, 5));
    assertThat(store.get(key)).isEqualTo(bytes(1000, 5));
  }

  @Test
  void aPutBelowAnExistingObjectFailsAsNotADirectoryAndLeavesNothing() throws IOException {
    store.put("data/ab", bytes(5, 1));

    assertThatThrownBy(() -> store.put("data/ab/cd", bytes(5, 2)))
        .isInstanceOf(NotDirectoryException.class)
        .hasMessageContaining("data/ab/cd");

    assertThat(filesBelow(root)).containsExactly(root.resolve("data").resolve("ab"));
    assertThat(store.get("data/ab")).isEqualTo(bytes(5, 1));
  }

  @Test
  void listWalksOnlyTheDirectoryThePrefixNames() throws IOException {
    store.put("data/ab/ab01", new byte[1]);
    // A symbolic-link loop that a walk of index/ would trip over.
    Path index = Files.createDirectories(root.resolve("index"));
    Files.createSymbolicLink(index.resolve("loop"), index);

    assertThat(keys(store.list("data/"))).containsExactly("data/ab/ab01");
    assertThat(keys(store.list("data/a"))).containsExactly("data/ab/ab01");
  }

  @Test
  void twoStoresOnOneRootStillLetOnlyOnePutOfAKeyWin() throws Exception {
    String key = dataKey(6);
    BlobStore other = open(root);
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      BlobStore target = i % 2 == 0 ? store : other;
      byte[] data = bytes(64 << 10, i);
      puts.add(CompletableFuture.runAsync(() -> putUnchecked(target, key, data)));
    }

    int won = 0;
    for (CompletableFuture<Void> put : puts) {
      try {
        put.join();
        won++;
      } catch (RuntimeException e) {
        assertThat(e).rootCause().isInstanceOf(FileAlreadyExistsException.class);
      }
    }

    assertThat(won).isEqualTo(1);
    assertThat(filesBelow(root)).hasSize(1);
  }

  @Test
  void creatingAStoreCreatesAMissingRootAndItsParents() throws IOException {
    Path nested = root.resolve("a").resolve("b").resolve("c");

    new LocalBlobStore(nested).put("config", new byte[1]);

    assertThat(Files.isRegularFile(nested.resolve("config"))).isTrue();
  }

  @Test
  void aRootThatIsAFileIsRefused() throws IOException {
    Path file = Files.write(root.resolve("plain-file"), new byte[1]);

    assertThatThrownBy(() -> new LocalBlobStore(file))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void isDurableAndServesAtLeastTwoConnections() {
    assertThat(store.capabilities().durable()).isTrue();
    assertThat(store.capabilities().connections()).isGreaterThanOrEqualTo(2);
  }

  /** Every regular file below {@code dir}, temporary ones included. */
  protected static List<Path> filesBelow(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  private static void putUnchecked(BlobStore target, String key, byte[] data) {
    try {
      target.put(key, data);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}
