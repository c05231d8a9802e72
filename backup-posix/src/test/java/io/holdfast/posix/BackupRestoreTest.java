package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.HoldfastException;
import io.holdfast.IntegrityException;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.Tree;
import io.holdfast.internal.restorer.RestoreStats;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.FaultyBlobStore;
import io.holdfast.testkit.SampleTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRestoreTest {
  @TempDir Path tmp;

  @Test
  void restoreReproducesContentModesTimesAndLinks() throws Exception {
    Path src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 6, 1);
    try (Repository repo = TestRepos.init(tmp.resolve("repo"))) {
      BackupStats stats = new BackupStats();
      Id snap = TestRepos.backup(repo, stats, false, new Archiver.Source("data", src));
      assertThat(stats.warnings()).isEmpty();
      assertThat(stats.filesNew()).isGreaterThan(10);
      Path out = tmp.resolve("out");
      try (Restorer r = new Restorer(repo, 2)) {
        RestoreStats rs = r.restore(repo.loadSnapshot(snap), "", out);
        assertThat(rs.files()).isEqualTo(stats.filesNew());
      }
      assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
    }
  }

  @Test
  void namedPipesAreBackedUpAndRestoredAsPipes() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("file"), "x");
    org.junit.jupiter.api.Assumptions.assumeTrue(SampleTrees.fifo(src.resolve("pipe")), "mkfifo not available");
    try (Repository repo = TestRepos.init(tmp.resolve("repo")); Restorer r = new Restorer(repo, 1)) {
      BackupStats stats = new BackupStats();
      Id snap = TestRepos.backup(repo, stats, false, new Archiver.Source("data", src));
      assertThat(stats.others()).isEqualTo(1);
      Node pipe = r.resolve(Id.parse(repo.loadSnapshot(snap).file().tree()), "data/pipe");
      assertThat(pipe.type()).isEqualTo(Node.FIFO);
      assertThat(pipe.mode() & io.holdfast.internal.repo.GoMode.NAMED_PIPE).isNotZero();
      RestoreStats rs = r.restore(repo.loadSnapshot(snap), "data", tmp.resolve("out"));
      assertThat(rs.others()).isEqualTo(1);
      assertThat(rs.skipped()).isEmpty();
    }
    assertThat(Files.readAttributes(tmp.resolve("out/pipe"), "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS)
        .get("mode")).matches(m -> ((Integer) m & 0170000) == 0010000);
    assertThat(DirectoryListing.of(tmp.resolve("out"))).isEqualTo(DirectoryListing.of(src));
  }

  @Test
  void aSubtreeRestoresOnItsOwn() throws Exception {
    Path src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 1, 2);
    try (Repository repo = TestRepos.init(tmp.resolve("repo"))) {
      Id snap = TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", src));
      try (Restorer r = new Restorer(repo, 2)) {
        r.restore(repo.loadSnapshot(snap), "data/docs/deep", tmp.resolve("deep"));
        r.restore(repo.loadSnapshot(snap), "/data/docs/readme.txt", tmp.resolve("one"));
      }
      assertThat(DirectoryListing.of(tmp.resolve("deep"))).isEqualTo(DirectoryListing.of(src.resolve("docs/deep")));
      assertThat(tmp.resolve("one/readme.txt")).hasSameTextualContentAs(src.resolve("docs/readme.txt"));
    }
  }

  @Test
  void severalSourcesLandUnderTheirOwnNames() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    Files.writeString(a.resolve("config.yml"), "x: 1\n");
    Files.writeString(b.resolve("blob"), "blob");
    try (Repository repo = TestRepos.init(tmp.resolve("repo"))) {
      Id snap = TestRepos.backup(repo, new BackupStats(), false,
          new Archiver.Source("config", a), new Archiver.Source("blobs", b));
      Tree root = repo.loadTree(Id.parse(repo.loadSnapshot(snap).file().tree()));
      assertThat(root.nodes()).extracting(Node::name).containsExactly("blobs", "config");
      assertThat(repo.loadSnapshot(snap).file().paths()).containsExactly(a.toString(), b.toString());
    }
  }

  @Test
  void anUnchangedFileIsReusedFromTheParentWithoutReading() throws Exception {
    Path src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 3, 3);
    try (Repository repo = TestRepos.init(tmp.resolve("repo"))) {
      BackupStats first = new BackupStats();
      TestRepos.backup(repo, first, true, new Archiver.Source("data", src));
      BackupStats second = new BackupStats();
      TestRepos.backup(repo, second, true, new Archiver.Source("data", src));
      assertThat(second.filesNew()).isZero();
      assertThat(second.filesChanged()).isZero();
      assertThat(second.filesUnmodified()).isEqualTo(first.filesNew());
      assertThat(second.bytesRead()).isZero();
      assertThat(second.blobsAdded()).isZero();

      Files.writeString(src.resolve("docs/readme.txt"), "changed\n");
      BackupStats third = new BackupStats();
      Id snap = TestRepos.backup(repo, third, true, new Archiver.Source("data", src));
      assertThat(third.filesChanged()).isEqualTo(1);
      assertThat(third.bytesRead()).isEqualTo(8);
      try (Restorer r = new Restorer(repo, 2)) {
        r.restore(repo.loadSnapshot(snap), "", tmp.resolve("out"));
      }
      assertThat(DirectoryListing.of(tmp.resolve("out/data"))).isEqualTo(DirectoryListing.of(src));
    }
  }

  @Test
  void restoreRefusesANonEmptyTarget() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("f"), "f");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("keep"), "mine");
    try (Repository repo = TestRepos.init(tmp.resolve("repo")); Restorer r = new Restorer(repo, 1)) {
      Id snap = TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", src));
      assertThatThrownBy(() -> r.restore(repo.loadSnapshot(snap), "", out))
          .isInstanceOf(HoldfastException.class).hasMessageContaining("not empty");
    }
    assertThat(out.resolve("keep")).hasContent("mine");
  }

  @Test
  void restoreRefusesPathsThatEscapeTheTarget() throws Exception {
    for (String evil : List.of("..", "a/../../x", "/etc", ".")) {
      Path out = tmp.resolve("out-" + Math.abs(evil.hashCode()));
      try (Repository repo = TestRepos.init(tmp.resolve("repo-" + Math.abs(evil.hashCode())));
          Restorer r = new Restorer(repo, 1)) {
        byte[] data = "pwned".getBytes();
        Id blob = Id.hash(data);
        repo.saveBlob(io.holdfast.internal.repo.BlobType.DATA, blob, data);
        Node file = new Node(evil, Node.FILE, 0644L, null, null, null, 0, 0, null, null, null, null, 5L, null,
            null, null, List.of(blob.hex()), null);
        Id tree = repo.saveTree(new Tree(List.of(file)));
        repo.flush();
        Id snap = repo.saveSnapshot(new io.holdfast.internal.repo.SnapshotFile("2024-01-01T00:00:00Z", null,
            tree.hex(), List.of("/x"), "h", "u", 0L, 0L, null, null, null, null));
        assertThatThrownBy(() -> r.restore(repo.loadSnapshot(snap), "", out))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("unsafe name");
      }
      try (var walk = Files.walk(tmp)) {
        assertThat(walk.filter(p -> p.getFileName().toString().equals("x") || p.getFileName().toString().equals("etc")))
            .isEmpty();
      }
    }
  }

  @Test
  void aDuplicateNameInATreeIsRefused() throws Exception {
    try (Repository repo = TestRepos.init(tmp.resolve("repo")); Restorer r = new Restorer(repo, 1)) {
      Node link = new Node("x", Node.SYMLINK, 0777L | io.holdfast.internal.repo.GoMode.SYMLINK, null, null, null,
          0, 0, null, null, null, null, null, null, "/tmp", null, null, null);
      Node empty = new Node("x", Node.FILE, 0644L, null, null, null, 0, 0, null, null, null, null, 0L, null,
          null, null, List.of(), null);
      Id tree = repo.saveTree(new Tree(List.of(link, empty)));
      repo.flush();
      Id snap = repo.saveSnapshot(new io.holdfast.internal.repo.SnapshotFile("2024-01-01T00:00:00Z", null,
          tree.hex(), List.of("/x"), "h", "u", 0L, 0L, null, null, null, null));
      assertThatThrownBy(() -> r.restore(repo.loadSnapshot(snap), "", tmp.resolve("out")))
          .isInstanceOf(IntegrityException.class).hasMessageContaining("twice");
    }
  }

  @Test
  void aFailedUploadWritesNoSnapshot() throws Exception {
    Path src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 2, 4);
    for (String failing : List.of("data/", "index/", "snapshots/")) {
      Path repoDir = tmp.resolve("repo-" + failing.replace("/", ""));
      TestRepos.init(repoDir).close();
      FaultyBlobStore faulty = new FaultyBlobStore(TestRepos.store(repoDir));
      faulty.failPutsStartingWith(failing);
      try (Repository repo = Repository.open(faulty, TestRepos.PASSWORD.toCharArray(),
          io.holdfast.internal.repo.RepositoryOptions.defaults(), Clock.systemUTC())) {
        assertThatThrownBy(() -> TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", src)))
            .isInstanceOf(HoldfastException.class);
        assertThat(repo.list(FileType.SNAPSHOT)).isEmpty();
      }
    }
  }
}
