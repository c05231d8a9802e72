package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.HoldfastException;
import io.holdfast.IntegrityException;
import io.holdfast.WrongPasswordException;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.ResticCli;
import io.holdfast.testkit.SampleTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Holdfast and the real restic read each other's repositories. */
class ResticInteropTest {
  @TempDir Path tmp;
  Path src;
  Path repoDir;
  ResticCli restic;

  @BeforeEach
  void setUp() throws Exception {
    ResticCli.require();
    src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 24, 7);
    SampleTrees.fifo(src.resolve("named-pipe"));
    repoDir = tmp.resolve("repo");
    restic = new ResticCli(repoDir, TestRepos.PASSWORD);
  }

  @Test
  void holdfastWritesResticChecksAndRestoresIdentically() {
    try (Repository repo = TestRepos.init(repoDir)) {
      TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", src));
      // a second, incremental snapshot with a changed file too
      TestRepos.backup(repo, new BackupStats(), true, new Archiver.Source("data", src));
    }
    restic.ok("check", "--read-data");
    String snapshots = restic.ok("snapshots", "--json").stdout();
    assertThat(snapshots).contains("\"tags\":[\"test\"]");
    Path out = tmp.resolve("restic-out");
    restic.ok("restore", "latest", "--target", out.toString());
    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void resticWritesHoldfastListsAndRestoresIdentically(int version) {
    restic.ok("init", "--repository-version", Integer.toString(version));
    restic.ok("backup", src.toString(), "--tag", "from-restic");
    try (Repository repo = TestRepos.open(repoDir); Restorer r = new Restorer(repo, 2)) {
      assertThat(repo.version()).isEqualTo(version);
      List<Repository.Snapshot> snaps = repo.snapshots();
      assertThat(snaps).hasSize(1);
      assertThat(snaps.get(0).file().tags()).containsExactly("from-restic");
      assertThat(snaps.get(0).file().paths()).containsExactly(src.toString());
      Path out = tmp.resolve("holdfast-out");
      r.restore(snaps.get(0), src.toString(), out);
      assertThat(DirectoryListing.of(out)).isEqualTo(DirectoryListing.of(src));
    }
  }

  @Test
  void afterResticBacksUpADirectoryHoldfastAddsNoDataBlobs() throws Exception {
    restic.ok("init");
    restic.ok("backup", src.toString());
    try (Repository repo = TestRepos.open(repoDir)) {
      int before = repo.indexedCount(BlobType.DATA);
      BackupStats stats = new BackupStats();
      TestRepos.backup(repo, stats, false, new Archiver.Source("src", src));
      assertThat(stats.filesNew()).isGreaterThan(10);
      assertThat(stats.blobsAdded()).isZero();
      assertThat(repo.indexedCount(BlobType.DATA)).isEqualTo(before);
    }
    restic.ok("check", "--read-data");
  }

  @Test
  void holdfastChunksFilesExactlyAsRestic() throws Exception {
    restic.ok("init");
    restic.ok("backup", src.toString());
    String ls = restic.ok("ls", "--json", "latest", src.resolve("docs/big.bin").toString()).stdout();
    assertThat(ls).contains("big.bin");
    try (Repository repo = TestRepos.open(repoDir)) {
      Repository.Snapshot snap = repo.findSnapshot("latest");
      io.holdfast.internal.repo.Node resticNode;
      try (Restorer r = new Restorer(repo, 1)) {
        resticNode = r.resolve(Id.parse(snap.file().tree()), src.resolve("docs/big.bin").toString());
      }
      assertThat(resticNode.content()).hasSizeGreaterThan(5);
      BackupStats stats = new BackupStats();
      Id mine = TestRepos.backup(repo, stats, false, new Archiver.Source("mine", src));
      try (Restorer r = new Restorer(repo, 1)) {
        io.holdfast.internal.repo.Node ours = r.resolve(Id.parse(repo.loadSnapshot(mine).file().tree()),
            "mine/docs/big.bin");
        assertThat(ours.content()).isEqualTo(resticNode.content());
      }
    }
  }

  @Test
  void aMissingPackIsReportedNeverRestoredSilently() throws Exception {
    Id snap = holdfastBackup();
    try (Repository repo = TestRepos.open(repoDir)) {
      PackedBlob big = largestDataBlob(repo);
      Files.delete(repoDir.resolve(FileType.PACK.key(big.pack())));
      try (Restorer r = new Restorer(repo, 2)) {
        assertThatThrownBy(() -> r.restore(repo.loadSnapshot(snap), "", tmp.resolve("out")))
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining(big.pack().shortHex())
            .hasMessageContaining("missing");
      }
    }
    assertThat(restic.run("check").exitCode()).isNotZero();
  }

  @Test
  void aFlippedByteInAPackIsReportedNeverRestoredSilently() throws Exception {
    Id snap = holdfastBackup();
    try (Repository repo = TestRepos.open(repoDir)) {
      PackedBlob big = largestDataBlob(repo);
      Path pack = repoDir.resolve(FileType.PACK.key(big.pack()));
      byte[] bytes = Files.readAllBytes(pack);
      bytes[(int) big.offset() + big.length() / 2] ^= 0x01;
      pack.toFile().setWritable(true);
      Files.write(pack, bytes);
      try (Restorer r = new Restorer(repo, 2)) {
        assertThatThrownBy(() -> r.restore(repo.loadSnapshot(snap), "", tmp.resolve("out")))
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining(big.pack().shortHex());
      }
    }
    assertThat(restic.run("check", "--read-data").exitCode()).isNotZero();
  }

  @Test
  void aTruncatedIndexIsATypedError() throws Exception {
    holdfastBackup();
    Path index;
    try (var files = Files.list(repoDir.resolve("index"))) {
      index = files.findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(index);
    index.toFile().setWritable(true);
    Files.write(index, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> TestRepos.open(repoDir))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("index/");
  }

  @Test
  void aWrongPasswordIsATypedErrorForBothTools() {
    holdfastBackup();
    assertThatThrownBy(() -> Repository.open(TestRepos.store(repoDir), "wrong".toCharArray(),
        RepositoryOptions.defaults(), Clock.systemUTC()))
        .isInstanceOf(WrongPasswordException.class);
    assertThat(new ResticCli(repoDir, "wrong").run("snapshots").exitCode()).isNotZero();
  }

  @Test
  void aBackupThatDiesBeforeItsSnapshotLeavesARepositoryResticAccepts() throws Exception {
    holdfastBackup();
    io.holdfast.testkit.FaultyBlobStore faulty = new io.holdfast.testkit.FaultyBlobStore(TestRepos.store(repoDir));
    faulty.failPutsStartingWith("snapshots/");
    Files.writeString(src.resolve("new-file"), "written after the first backup");
    try (Repository repo = Repository.open(faulty, TestRepos.PASSWORD.toCharArray(), RepositoryOptions.defaults(),
        Clock.systemUTC())) {
      assertThatThrownBy(() -> TestRepos.backup(repo, new BackupStats(), true, new Archiver.Source("data", src)))
          .isInstanceOf(HoldfastException.class);
    }
    faulty.disarm();
    faulty.failPutsStartingWith("index/");
    try (Repository repo = Repository.open(faulty, TestRepos.PASSWORD.toCharArray(), RepositoryOptions.defaults(),
        Clock.systemUTC())) {
      Files.writeString(src.resolve("another"), "more");
      assertThatThrownBy(() -> TestRepos.backup(repo, new BackupStats(), true, new Archiver.Source("data", src)))
          .isInstanceOf(HoldfastException.class);
    }
    restic.ok("check", "--read-data");
    assertThat(restic.ok("snapshots", "--json").stdout().split("\"tree\"")).hasSize(2);
  }

  @Test
  void resticRestoresTheHardLinksOfAHoldfastBackup() throws Exception {
    Path linked = tmp.resolve("linked");
    HardLinkRestoreTest.writeLinkedTree(linked);
    try (Repository repo = TestRepos.init(repoDir)) {
      TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", linked));
    }
    Path out = tmp.resolve("restic-out");
    restic.ok("restore", "latest", "--target", out.toString());
    assertThat(DirectoryListing.hardLinkGroups(out.resolve("data"))).isEqualTo(HardLinkRestoreTest.GROUPS);
    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(linked));
  }

  @Test
  void holdfastRestoresTheHardLinksOfAResticBackup() throws Exception {
    Path linked = tmp.resolve("linked");
    HardLinkRestoreTest.writeLinkedTree(linked);
    restic.ok("init");
    restic.ok("backup", linked.toString());
    Path out = tmp.resolve("holdfast-out");
    try (Repository repo = TestRepos.open(repoDir); Restorer r = new Restorer(repo, 2)) {
      assertThat(r.restore(repo.findSnapshot("latest"), linked.toString(), out).skipped()).isEmpty();
    }
    assertThat(DirectoryListing.hardLinkGroups(out)).isEqualTo(HardLinkRestoreTest.GROUPS);
    assertThat(DirectoryListing.of(out)).isEqualTo(DirectoryListing.of(linked));
  }

  private Id holdfastBackup() {
    try (Repository repo = TestRepos.init(repoDir)) {
      return TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", src));
    }
  }

  private static PackedBlob largestDataBlob(Repository repo) {
    return repo.indexedBlobs().stream().filter(b -> b.type() == BlobType.DATA)
        .max(java.util.Comparator.comparingInt(PackedBlob::length)).orElseThrow();
  }
}
