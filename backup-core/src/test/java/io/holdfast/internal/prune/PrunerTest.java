package io.holdfast.internal.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.IntegrityException;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.checker.StructureChecker;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.IndexFile;
import io.holdfast.internal.repo.Json;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.BlobStore;
import io.holdfast.storage.InMemoryBlobStore;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrunerTest {
  private static final char[] PW = "prune me".toCharArray();
  /** The smallest pack size: three 300 KiB files fill a pack. */
  private static final RepositoryOptions SMALL_PACKS = RepositoryOptions.defaults().withPackSize(1 << 20);
  private static final int FILE = 300 << 10;

  @TempDir Path tmp;
  final InMemoryBlobStore store = new InMemoryBlobStore();
  final Random random = new Random(42);

  private Repository open() {
    return Repository.open(store, PW, SMALL_PACKS, Clock.systemUTC());
  }

  private Path source(String name, int files) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (int i = 0; i < files; i++) {
      byte[] b = new byte[FILE];
      random.nextBytes(b);
      Files.write(dir.resolve("f" + i), b);
    }
    return dir;
  }

  private Id backup(Path dir) {
    try (Repository repo = store.list("config").isEmpty()
        ? Repository.init(store, PW, new ScryptParams(1024, 8, 1), SMALL_PACKS, Clock.systemUTC()) : open();
        Archiver a = new Archiver(repo, 2)) {
      return a.backup(List.of(new Archiver.Source("src", dir)), null, List.of(), new BackupStats());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Deletes one file from every data pack that holds more than one of {@code src}'s files, so each
   * of those packs is left partly used. Which files share a pack depends on the order the directory
   * lists them in, which differs between file systems, so the test asks the index rather than guess.
   */
  private int deleteOneFileOfEachSharedPack(Path src) throws IOException {
    Map<Id, Path> byBlob = new TreeMap<>();
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : files.toList()) {
        byBlob.put(Id.hash(Files.readAllBytes(f)), f); // a file under the minimum chunk size is one blob
      }
    }
    Map<Id, List<Path>> byPack = new TreeMap<>();
    try (Repository repo = open()) {
      for (PackedBlob b : repo.indexedBlobs()) {
        Path f = byBlob.get(b.id());
        if (b.type() == BlobType.DATA && f != null) {
          byPack.computeIfAbsent(b.pack(), k -> new ArrayList<>()).add(f);
        }
      }
    }
    assertThat(byPack.values()).as("packs holding several files").anyMatch(files -> files.size() > 1);
    int deleted = 0;
    for (List<Path> files : byPack.values()) {
      if (files.size() > 1) {
        Files.delete(files.get(0));
        deleted++;
      }
    }
    return deleted;
  }

  private Pruner.Outcome prune(double maxUnused, boolean dryRun) {
    try (Repository repo = open(); RepositoryLock lock = RepositoryLock.acquire(repo, true)) {
      return new Pruner(repo, lock, maxUnused).run(dryRun);
    }
  }

  private void forget(Id snapshot) throws IOException {
    store.delete(FileType.SNAPSHOT.key(snapshot));
  }

  private Map<String, Long> contents() throws IOException {
    return store.list("").stream().filter(i -> !i.key().startsWith("locks/"))
        .collect(Collectors.toMap(BlobInfo::key, BlobInfo::size, (a, b) -> a, TreeMap::new));
  }

  private Set<String> keys(String prefix) throws IOException {
    return store.list(prefix).stream().map(BlobInfo::key).collect(Collectors.toSet());
  }

  /** Restores the snapshot and compares every file with {@code dir}, byte for byte. */
  private void assertRestoresAs(Id snapshot, Path dir) throws IOException {
    Path target = tmp.resolve("restore-" + snapshot.shortHex() + "-" + System.nanoTime());
    try (Repository repo = open(); Restorer r = new Restorer(repo, 2)) {
      r.restore(repo.loadSnapshot(snapshot), "src", target);
    }
    List<Path> expected;
    try (Stream<Path> s = Files.list(dir)) {
      expected = s.sorted().toList();
    }
    try (Stream<Path> s = Files.list(target)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .isEqualTo(expected.stream().map(p -> p.getFileName().toString()).toList());
    }
    for (Path p : expected) {
      assertThat(Files.mismatch(p, target.resolve(p.getFileName().toString()))).as("%s", p).isEqualTo(-1);
    }
  }

  private void assertSound() {
    try (Repository repo = open()) {
      StructureChecker.Result r = new StructureChecker(repo).check();
      assertThat(r.problems()).isEmpty();
      assertThat(r.unindexedPacks()).isEmpty();
    }
  }

  @Test
  void withEverySnapshotKeptNothingChanges() throws Exception {
    Id a = backup(source("a", 6));
    Map<String, Long> before = contents();
    Pruner.Outcome o = prune(5, false);
    assertThat(o.packsDeleted() + o.packsRepacked() + o.unindexedPacksDeleted() + o.indexFilesWritten()).isZero();
    assertThat(o.blobsRemoved()).isZero();
    assertThat(o.bytesFreed()).isZero();
    assertThat(contents()).isEqualTo(before);
    assertRestoresAs(a, tmp.resolve("a"));
  }

  @Test
  void forgettingASnapshotDeletesThePacksOnlyItUsed() throws Exception {
    Id a = backup(source("a", 6));
    Set<String> packsOfA = keys("data/");
    Id b = backup(source("b", 6));
    Set<String> oldIndex = keys("index/");
    forget(a);
    Pruner.Outcome o = prune(5, false);
    assertThat(o.snapshots()).isEqualTo(1);
    assertThat(o.packsDeleted()).isGreaterThanOrEqualTo(2);
    assertThat(o.packsRepacked()).isZero();
    assertThat(keys("data/")).doesNotContainAnyElementsOf(packsOfA);
    assertThat(o.bytesFreed()).isGreaterThanOrEqualTo(6L * FILE);
    assertThat(keys("index/")).hasSize(1).doesNotContainAnyElementsOf(oldIndex);
    assertThat(o.indexFilesRemoved()).isEqualTo(oldIndex.size());
    assertSound();
    assertRestoresAs(b, tmp.resolve("b"));
  }

  @Test
  void theNewIndexSupersedesEveryOldIndexFile() throws Exception {
    Id a = backup(source("a", 3));
    backup(source("b", 3));
    List<String> oldIndex = keys("index/").stream().map(k -> k.substring("index/".length())).sorted().toList();
    forget(a);
    prune(5, false);
    try (Repository repo = open()) {
      Id only = repo.list(FileType.INDEX).get(0);
      IndexFile file = Json.read(repo.loadFile(FileType.INDEX, only), IndexFile.class, "index");
      assertThat(file.supersedes()).containsExactlyInAnyOrderElementsOf(oldIndex);
    }
  }

  @Test
  void partlyUsedPacksAreRepackedWhenTooMuchIsUnused() throws Exception {
    Path src = source("a", 9);
    Id first = backup(src);
    Set<String> packsBefore = keys("data/");
    int deleted = deleteOneFileOfEachSharedPack(src);
    Id second = backup(src);
    forget(first);

    Pruner.Outcome lenient = prune(100, false);
    assertThat(lenient.packsRepacked()).isZero();
    // a pack that held only removed files is deleted; the others keep their unused blobs
    assertThat(lenient.unusedBytesAfter()).isPositive();
    assertThat(lenient.unusedBytesAfter() + lenient.bytesFreed()).isGreaterThanOrEqualTo((long) deleted * FILE);

    Pruner.Outcome o = prune(5, false);
    assertThat(o.packsRepacked()).isPositive();
    assertThat(o.blobsRepacked()).isPositive();
    assertThat(o.packsWritten()).isPositive();
    assertThat(o.bytesFreed()).isGreaterThanOrEqualTo(lenient.unusedBytesAfter() - o.unusedBytesAfter());
    assertThat(o.unusedBytesAfter()).isLessThanOrEqualTo((long) (0.06 * (9 - deleted) * FILE));
    assertThat(keys("data/")).isNotEqualTo(packsBefore);
    assertSound();
    assertRestoresAs(second, src);
  }

  @Test
  void aRepackThatFailsDeletesThePacksItHadWritten() throws Exception {
    Path src = source("a", 9);
    Id first = backup(src);
    deleteOneFileOfEachSharedPack(src);
    backup(src);
    forget(first);
    Map<String, Long> before = contents();
    AtomicInteger dataPuts = new AtomicInteger();
    BlobStore failing = (BlobStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {BlobStore.class}, (proxy, m, args) -> {
          if (m.getName().equals("put") && ((String) args[0]).startsWith("data/") && dataPuts.incrementAndGet() == 2) {
            throw new IOException("injected fault: second new pack");
          }
          try {
            return m.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });

    try (Repository repo = Repository.open(failing, PW, SMALL_PACKS, Clock.systemUTC());
        RepositoryLock lock = RepositoryLock.acquire(repo, true)) {
      assertThatThrownBy(() -> new Pruner(repo, lock, 0).run(false)).hasMessageContaining("injected fault");
    }
    assertThat(dataPuts).as("the repack had put one pack before the fault").hasValue(2);
    assertThat(contents()).as("the pack it put is gone; nothing else changed").isEqualTo(before);
  }

  @Test
  void aDryRunReportsWhatARealRunDoesAndChangesNothing() throws Exception {
    Path src = source("a", 9);
    Id first = backup(src);
    Files.delete(src.resolve("f2"));
    Files.delete(src.resolve("f5"));
    backup(src);
    backup(source("c", 2));
    forget(first);
    Map<String, Long> before = contents();

    Pruner.Outcome dry = prune(0, true);
    assertThat(contents()).isEqualTo(before);
    Pruner.Outcome real = prune(0, false);
    assertThat(dry.packsDeleted()).isEqualTo(real.packsDeleted());
    assertThat(dry.packsRepacked()).isEqualTo(real.packsRepacked()).isPositive();
    assertThat(dry.blobsRepacked()).isEqualTo(real.blobsRepacked());
    assertThat(dry.blobsKept()).isEqualTo(real.blobsKept());
    assertThat(dry.blobsRemoved()).isEqualTo(real.blobsRemoved()).isPositive();
    assertThat(dry.packsWritten()).isEqualTo(real.packsWritten());
    assertThat(dry.indexFilesWritten()).isEqualTo(real.indexFilesWritten());
    assertThat(Math.abs(dry.bytesFreed() - real.bytesFreed())).isLessThan(4096); // new pack headers
  }

  @Test
  void packsNoIndexNamesAreDeleted() throws Exception {
    Id a = backup(source("a", 3));
    byte[] junk = new byte[1000];
    random.nextBytes(junk);
    Id stray = Id.hash(junk);
    store.put(FileType.PACK.key(stray), junk);
    Map<String, Long> withoutStray = contents();
    withoutStray.remove(FileType.PACK.key(stray));

    Pruner.Outcome o = prune(5, false);
    assertThat(o.unindexedPacksDeleted()).isEqualTo(1);
    assertThat(o.indexFilesWritten()).isZero(); // the index did not name it: it needs no change
    assertThat(contents()).isEqualTo(withoutStray);
    assertRestoresAs(a, tmp.resolve("a"));
  }

  @Test
  void aSnapshotWhosePackIsMissingStopsThePruneBeforeAnythingIsRemoved() throws Exception {
    Id a = backup(source("a", 6));
    Set<String> packsOfA = keys("data/");
    backup(source("b", 3));
    forget(a);
    String needed = keys("data/").stream().filter(k -> !packsOfA.contains(k)).findFirst().orElseThrow();
    store.delete(needed);
    Map<String, Long> before = contents();
    assertThatThrownBy(() -> prune(5, false)).isInstanceOf(IntegrityException.class)
        .hasMessageContaining("prune stopped before removing anything").hasMessageContaining("missing");
    assertThat(contents()).isEqualTo(before);
  }

  @Test
  void aBlobStoredTwiceKeepsOneCopy() throws Exception {
    Path src = source("a", 6);
    backup(source("first", 1));
    List<Id> snapshots = new ArrayList<>();
    // two writers that opened the repository before either stored anything: each stores every blob
    try (Repository x = open(); Repository y = open(); Archiver ax = new Archiver(x, 2); Archiver ay = new Archiver(y, 2)) {
      snapshots.add(ax.backup(List.of(new Archiver.Source("src", src)), null, List.of(), new BackupStats()));
      snapshots.add(ay.backup(List.of(new Archiver.Source("src", src)), null, List.of(), new BackupStats()));
    }
    assertThat(copies()).containsValue(2);

    Pruner.Outcome o = prune(0, false);
    assertThat(o.blobsRemoved()).isGreaterThanOrEqualTo(6);
    assertThat(copies().values()).containsOnly(1);
    assertSound();
    for (Id s : snapshots) {
      assertRestoresAs(s, src);
    }
  }

  /** How many index entries each blob has. */
  private Map<Id, Integer> copies() {
    try (Repository repo = open()) {
      Map<Id, Integer> n = new TreeMap<>();
      repo.indexedPacks().values().forEach(l -> l.forEach(b -> n.merge(b.id(), 1, Integer::sum)));
      return n;
    }
  }

  @Test
  void aRepositoryOpenedBeforeAPruneUsesTheNewIndexOnceLocked() throws Exception {
    Path src = source("a", 9);
    Id first = backup(src);
    Files.delete(src.resolve("f0"));
    Files.delete(src.resolve("f4"));
    Id second = backup(src);
    forget(first);
    try (Repository early = open()) {
      prune(0, false);
      try (RepositoryLock lock = RepositoryLock.acquire(early, false)) {
        for (PackedBlob b : early.indexedBlobs()) {
          assertThat(store.stat(FileType.PACK.key(b.pack())).size()).isPositive(); // no pack it names is gone
        }
        early.loadTree(Id.parse(early.loadSnapshot(second).file().tree()));
      }
    }
  }
}
