package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.json.GoTime;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.repo.Tree;
import io.holdfast.storage.BlobStore;
import io.holdfast.storage.InMemoryBlobStore;
import io.holdfast.testkit.SampleTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** A repository in memory with one snapshot of a small awkward tree, and a node-by-node tree comparison. */
final class ArchiveFixture {
  static final String PASSWORD = "archive-test";

  final BlobStore store;
  final Repository repository;

  ArchiveFixture(BlobStore store) {
    this.store = store;
    io.holdfast.internal.repo.Repository.init(store, PASSWORD.toCharArray(), new ScryptParams(1024, 8, 1),
        RepositoryOptions.defaults(), Clock.systemUTC()).close();
    this.repository = Repository.on(store, PASSWORD::toCharArray);
  }

  ArchiveFixture() {
    this(new InMemoryBlobStore());
  }

  io.holdfast.internal.repo.Repository open() {
    return io.holdfast.internal.repo.Repository.open(store, PASSWORD.toCharArray(), RepositoryOptions.defaults(),
        Clock.systemUTC());
  }

  /**
   * The awkward sample tree (with a file of several chunks), plus a name longer than a ustar
   * header holds. Its dangling symlink is absolute: imports of it allow links outside.
   */
  static void writeTree(Path root) throws IOException {
    SampleTrees.writeAwkward(root, 2, 7);
    Files.writeString(root.resolve("docs/" + LONG_NAME), "long");
  }

  static final String LONG_NAME = "long-name-".repeat(20) + ".txt";

  /** Backs {@code dirs} (name, path, name, path...) up as one snapshot of plan {@code plan}. */
  Id backup(String plan, Object... dirs) {
    try (io.holdfast.internal.repo.Repository repo = open(); Archiver a = new Archiver(repo, 2)) {
      List<Archiver.Source> sources = new java.util.ArrayList<>();
      for (int i = 0; i < dirs.length; i += 2) {
        sources.add(new Archiver.Source((String) dirs[i], (Path) dirs[i + 1]));
      }
      return a.backup(sources, null, List.of("holdfast", "plan:" + plan), new BackupStats());
    }
  }

  List<String> snapshotIds() {
    try (io.holdfast.internal.repo.Repository repo = open()) {
      return repo.snapshots().stream().map(s -> s.id().hex()).toList();
    }
  }

  /** The root tree of a snapshot. */
  Tree root(io.holdfast.internal.repo.Repository repo, String snapshotId) {
    return repo.loadTree(Id.parse(repo.findSnapshot(snapshotId).file().tree()));
  }

  /**
   * Asserts that two trees hold the same entries, recursively: names, types, modes, mtimes, sizes,
   * content ids, symlink targets, device numbers, uid/gid and user/group names.
   */
  static void assertSameTree(io.holdfast.internal.repo.Repository repo, List<Node> expected, List<Node> actual,
      String at) {
    assertSameTree(repo, expected, actual, at, 1, true);
  }

  /**
   * As {@link #assertSameTree}, mtimes compared to {@code mtimeNanos} (zip keeps 100 ns), user and
   * group names only with {@code names} (zip holds none).
   */
  static void assertSameTree(io.holdfast.internal.repo.Repository repo, List<Node> expected, List<Node> actual,
      String at, int mtimeNanos, boolean names) {
    assertThat(actual.stream().map(Node::name).toList()).as("names in %s", at)
        .isEqualTo(expected.stream().map(Node::name).toList());
    for (int i = 0; i < expected.size(); i++) {
      Node e = expected.get(i);
      Node a = actual.get(i);
      String path = at + "/" + e.name();
      assertThat(a.type()).as("type of %s", path).isEqualTo(e.type());
      assertThat(a.mode()).as("mode of %s", path).isEqualTo(e.mode());
      assertThat(truncate(GoTime.parseInstant(a.mtime()), mtimeNanos)).as("mtime of %s", path)
          .isEqualTo(truncate(GoTime.parseInstant(e.mtime()), mtimeNanos));
      assertThat(a.uid()).as("uid of %s", path).isEqualTo(e.uid());
      assertThat(a.gid()).as("gid of %s", path).isEqualTo(e.gid());
      if (names) {
        assertThat(a.user()).as("user of %s", path).isEqualTo(e.user());
        assertThat(a.group()).as("group of %s", path).isEqualTo(e.group());
      }
      assertThat(a.linkTarget()).as("link target of %s", path).isEqualTo(e.linkTarget());
      assertThat(a.device()).as("device of %s", path).isEqualTo(e.device());
      if (e.isFile()) {
        assertThat(a.size()).as("size of %s", path).isEqualTo(e.size());
        assertThat(a.contentOrEmpty()).as("content of %s", path).isEqualTo(e.contentOrEmpty());
      }
      if (e.isDir()) {
        assertSameTree(repo, repo.loadTree(Id.parse(e.subtree())).nodes(),
            repo.loadTree(Id.parse(a.subtree())).nodes(), path, mtimeNanos, names);
      }
    }
  }

  private static Instant truncate(Instant t, int nanos) {
    return t.minusNanos(t.getNano() % nanos);
  }

  /** The nodes of a root tree without Holdfast's own metadata directory. */
  static List<Node> withoutMeta(Tree root) {
    return root.nodes().stream().filter(n -> !n.name().equals(io.holdfast.internal.repo.SnapshotManifest.DIR)).toList();
  }
}
