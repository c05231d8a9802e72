package io.holdfast.internal.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.VerifyReport.Kind;
import io.holdfast.VerifyReport.Problem;
import io.holdfast.internal.checker.StructureChecker.Result;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.IndexFile;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.storage.InMemoryBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructureCheckerTest {
  private static final char[] PW = "check me".toCharArray();

  @TempDir Path tmp;
  final InMemoryBlobStore store = new InMemoryBlobStore();

  @BeforeEach
  void twoSnapshots() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/sub"));
    Files.writeString(tmp.resolve("src/a.txt"), "alpha\n");
    Files.writeString(src.resolve("b.txt"), "beta\n".repeat(1000));
    try (Repository repo = Repository.init(store, PW, new ScryptParams(1024, 8, 1), RepositoryOptions.defaults(),
        Clock.systemUTC()); Archiver archiver = new Archiver(repo, 2)) {
      archiver.backup(List.of(new Archiver.Source("src", tmp.resolve("src"))), null, List.of(), new BackupStats());
      Files.writeString(src.resolve("c.txt"), "gamma\n");
      archiver.backup(List.of(new Archiver.Source("src", tmp.resolve("src"))), null, List.of(), new BackupStats());
    }
  }

  private Repository open() {
    return Repository.open(store, PW, RepositoryOptions.defaults(), Clock.systemUTC());
  }

  private Result check() {
    try (Repository repo = open()) {
      return new StructureChecker(repo).check();
    }
  }

  private Id aPackHolding(BlobType type) {
    try (Repository repo = open()) {
      return repo.indexedBlobs().stream().filter(b -> b.type() == type).findFirst().orElseThrow().pack();
    }
  }

  /** Replaces every index file with one listing {@code edit} of each indexed blob (null drops it). */
  private void rewriteIndex(UnaryOperator<PackedBlob> edit) throws Exception {
    try (Repository repo = open()) {
      Map<Id, List<IndexFile.Blob>> packs = new TreeMap<>();
      for (PackedBlob b : repo.indexedBlobs()) {
        PackedBlob e = edit.apply(b);
        if (e != null) {
          packs.computeIfAbsent(e.pack(), p -> new ArrayList<>()).add(new IndexFile.Blob(e.id().hex(),
              e.type().json(), e.offset(), e.length(), e.compressed() ? (long) e.uncompressedLength() : null));
        }
      }
      for (Id index : repo.list(FileType.INDEX)) {
        store.delete(FileType.INDEX.key(index));
      }
      repo.writeIndex(packs.entrySet().stream().map(p -> new IndexFile.Pack(p.getKey().hex(), p.getValue())).toList(),
          List.of());
    }
  }

  @Test
  void aSoundRepositoryHasNoProblems() {
    Result r = check();
    assertThat(r.problems()).isEmpty();
    assertThat(r.ok()).isTrue();
    assertThat(r.snapshots()).isEqualTo(2);
    assertThat(r.trees()).isEqualTo(6); // each snapshot: root, src, src/sub (changed by c.txt)
    assertThat(r.dataBlobs()).isEqualTo(3);
    assertThat(r.packs()).isGreaterThanOrEqualTo(2);
    assertThat(r.unindexedPacks()).isEmpty();
  }

  @Test
  void aDeletedDataPackIsReportedAsMissing() throws Exception {
    Id pack = aPackHolding(BlobType.DATA);
    store.delete(FileType.PACK.key(pack));
    Result r = check();
    assertThat(r.ok()).isFalse();
    assertThat(r.problems()).extracting(Problem::kind).containsOnly(Kind.PACK_MISSING);
    assertThat(r.problems()).extracting(Problem::subject).contains(pack.shortHex());
  }

  @Test
  void aDeletedTreePackMakesTheTreesInItUnreadable() throws Exception {
    Id pack = aPackHolding(BlobType.TREE);
    store.delete(FileType.PACK.key(pack));
    Result r = check();
    assertThat(r.problems()).extracting(Problem::kind).contains(Kind.PACK_MISSING, Kind.TREE_DAMAGED);
    assertThat(r.problems()).filteredOn(p -> p.kind() == Kind.TREE_DAMAGED)
        .allSatisfy(p -> assertThat(p.message()).contains("snapshot", pack.shortHex()));
  }

  @Test
  void aDeletedIndexFileLeavesTreesUnindexedAndPacksUnreferenced() throws Exception {
    try (Repository repo = open()) {
      for (Id index : repo.list(FileType.INDEX)) {
        store.delete(FileType.INDEX.key(index));
      }
    }
    Result r = check();
    assertThat(r.problems()).extracting(Problem::kind).containsOnly(Kind.TREE_MISSING);
    assertThat(r.problems()).hasSize(2); // each snapshot's root tree; nothing below it is reachable
    assertThat(r.unindexedPacks()).isNotEmpty();
    assertThat(r.packs()).isZero();
  }

  @Test
  void dataBlobsMissingFromTheIndexAreNamedWithTheirFile() throws Exception {
    rewriteIndex(b -> b.type() == BlobType.DATA && b.plaintextLength() == 6 ? null : b);
    Result r = check();
    assertThat(r.problems()).extracting(Problem::kind).containsOnly(Kind.DATA_MISSING);
    assertThat(r.problems()).extracting(Problem::message)
        .anyMatch(m -> m.contains("/src/a.txt"))
        .anyMatch(m -> m.contains("/src/sub/c.txt"));
  }

  @Test
  void anIndexEntryThatDisagreesWithThePackHeaderIsAMismatch() throws Exception {
    Id pack = aPackHolding(BlobType.DATA);
    rewriteIndex(b -> b.pack().equals(pack)
        ? new PackedBlob(b.type(), b.id(), b.pack(), b.offset() + 1, b.length(), b.uncompressedLength()) : b);
    Result r = check();
    assertThat(r.problems()).isNotEmpty().extracting(Problem::kind).containsOnly(Kind.PACK_MISMATCH);
    assertThat(r.problems().get(0).message()).contains(pack.shortHex(), "has it at offset");
  }
}
