package io.holdfast.internal.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.Host;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.repo.Tree;
import io.holdfast.storage.InMemoryBlobStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerNamesTest {
  @TempDir Path tmp;
  Path src;
  Repository repo;

  @BeforeEach
  void setUp() throws Exception {
    boolean root = Host.current().uid() == 0;
    if (!root) {
      System.err.println("WARNING: not root: skipping an owner-name test that needs chown");
    }
    Assumptions.assumeTrue(root, "needs root to give files other owners (chown)");
    src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("mine"), "root's");
    Path nobody = Files.writeString(src.resolve("nobodys"), "nobody's");
    owner(nobody, 65534, 65534);
    Path sub = Files.createDirectories(src.resolve("sub"));
    owner(sub, 65534, 0);
    for (int i = 0; i < 50; i++) {
      owner(Files.writeString(sub.resolve("n" + i), "n" + i), 65534, 65534);
    }
    // ids no passwd or group entry names
    owner(Files.writeString(src.resolve("unnamed"), "?"), 54321, 54322);
    repo = Repository.init(new InMemoryBlobStore(), "pw".toCharArray(), new ScryptParams(1024, 8, 1),
        RepositoryOptions.defaults(), Clock.systemUTC());
  }

  private static void owner(Path p, int uid, int gid) throws Exception {
    Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  }

  private Map<String, String> owners(Id snapshot) {
    Map<String, String> out = new TreeMap<>();
    Tree root = repo.loadTree(Id.parse(repo.loadSnapshot(snapshot).file().tree()));
    collect(root, "", out);
    return out;
  }

  private void collect(Tree tree, String prefix, Map<String, String> out) {
    for (Node n : tree.nodes()) {
      out.put(prefix + n.name(), n.uid() + ":" + n.gid() + " " + n.user() + ":" + n.group());
      if (n.isDir()) {
        collect(repo.loadTree(Id.parse(n.subtree())), prefix + n.name() + "/", out);
      }
    }
  }

  private Id backup(Repository.Snapshot parent) {
    try (Archiver a = new Archiver(repo, 2)) {
      return a.backup(List.of(new Archiver.Source("data", src)), parent, List.of(), new BackupStats());
    }
  }

  @Test
  void aBackupRecordsTheNamesOfEachEntrysOwnerAndGroup() {
    Map<String, String> owners = owners(backup(null));
    assertThat(owners).containsEntry("data", "0:0 root:root")
        .containsEntry("data/mine", "0:0 root:root")
        .containsEntry("data/nobodys", "65534:65534 nobody:nogroup")
        .containsEntry("data/sub", "65534:0 nobody:root")
        .containsEntry("data/sub/n7", "65534:65534 nobody:nogroup")
        .containsEntry("data/sub/n49", "65534:65534 nobody:nogroup");
  }

  @Test
  void anIdWithoutANameIsStoredWithoutOne() {
    assertThat(owners(backup(null))).containsEntry("data/unnamed", "54321:54322 null:null");
  }

  @Test
  void anUnchangedTreeGetsTheSameNamesAndReusesEveryFile() {
    Id first = backup(null);
    BackupStats stats = new BackupStats();
    Id second;
    try (Archiver a = new Archiver(repo, 2)) {
      second = a.backup(List.of(new Archiver.Source("data", src)), repo.loadSnapshot(first), List.of(), stats);
    }
    assertThat(owners(second)).isEqualTo(owners(first));
    assertThat(stats.filesUnmodified()).isEqualTo(53);
    assertThat(stats.bytesRead()).isZero();
  }
}
