package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Feature;
import com.google.common.jimfs.Jimfs;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.restorer.RestoreStats;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.testkit.DirectoryListing;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are hard links of each other in the source are hard links of each other after a restore. */
class HardLinkRestoreTest {
  @TempDir Path tmp;
  Path src;

  /** The link groups {@link #writeLinkedTree} makes. */
  static final Set<List<String>> GROUPS = Set.of(
      List.of("docs/a", "docs/a-again", "other/deep/a-elsewhere"),
      List.of("empty", "other/empty-too"),
      List.of("other/b", "other/deep/b-below"));

  /**
   * A tree with three hard-link groups (in one directory, across directories, of an empty file)
   * and files of one link.
   */
  static void writeLinkedTree(Path src) throws Exception {
    Files.createDirectories(src.resolve("docs"));
    Files.createDirectories(src.resolve("other/deep"));
    Files.write(src.resolve("docs/a"), new byte[700_000]); // more than one chunk's minimum
    Files.writeString(src.resolve("docs/a"), "linked three times\n", java.nio.file.StandardOpenOption.APPEND);
    Files.createLink(src.resolve("docs/a-again"), src.resolve("docs/a"));
    Files.createLink(src.resolve("other/deep/a-elsewhere"), src.resolve("docs/a"));
    Files.writeString(src.resolve("other/b"), "linked twice\n");
    Files.createLink(src.resolve("other/deep/b-below"), src.resolve("other/b"));
    Files.createFile(src.resolve("empty"));
    Files.createLink(src.resolve("other/empty-too"), src.resolve("empty"));
    Files.writeString(src.resolve("single"), "one link\n");
    Files.writeString(src.resolve("other/deep/same-content-as-b"), "linked twice\n");
    // the times of the directories the links are in must survive the links' creation
    for (String d : List.of("other/deep", "other", "docs")) {
      Files.setLastModifiedTime(src.resolve(d), java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    src = tmp.resolve("src");
    writeLinkedTree(src);
    assertThat(DirectoryListing.hardLinkGroups(src)).isEqualTo(GROUPS);
  }

  private Id backup(Repository repo) {
    BackupStats stats = new BackupStats();
    Id id = TestRepos.backup(repo, stats, false, new Archiver.Source("data", src));
    assertThat(stats.warnings()).isEmpty();
    return id;
  }

  @Test
  void aBackupRecordsInodeDeviceAndLinkCountOfEachFile() throws Exception {
    try (Repository repo = TestRepos.init(tmp.resolve("repo")); Restorer r = new Restorer(repo, 2)) {
      Id root = Id.parse(repo.loadSnapshot(backup(repo)).file().tree());
      Node a = r.resolve(root, "data/docs/a");
      Node elsewhere = r.resolve(root, "data/other/deep/a-elsewhere");
      assertThat(a.links()).isEqualTo(3);
      assertThat(a.inode()).isEqualTo(((Number) Files.getAttribute(src.resolve("docs/a"), "unix:ino")).longValue());
      assertThat(a.deviceId()).isEqualTo(((Number) Files.getAttribute(src.resolve("docs/a"), "unix:dev")).longValue());
      assertThat(elsewhere.inode()).isEqualTo(a.inode());
      assertThat(elsewhere.deviceId()).isEqualTo(a.deviceId());
      assertThat(r.resolve(root, "data/single").links()).isEqualTo(1);
    }
  }

  @Test
  void restoredFilesShareInodesAsTheSourceDid() throws Exception {
    try (Repository repo = TestRepos.init(tmp.resolve("repo")); Restorer r = new Restorer(repo, 2)) {
      Id snap = backup(repo);
      Path out = tmp.resolve("out");
      RestoreStats rs = r.restore(repo.loadSnapshot(snap), "data", out);
      assertThat(rs.skipped()).isEmpty();
      assertThat(rs.files()).isEqualTo(9);
      // written once per inode: the big file once, not three times
      assertThat(rs.bytes()).isEqualTo(Files.size(src.resolve("docs/a")) + 2 * "linked twice\n".length()
          + "one link\n".length());
      assertThat(DirectoryListing.hardLinkGroups(out)).isEqualTo(GROUPS);
      assertThat(DirectoryListing.of(out)).isEqualTo(DirectoryListing.of(src));
    }
  }

  @Test
  void aFilterThatTakesOneLinkOfAGroupRestoresThatFileWithItsContent() throws Exception {
    try (Repository repo = TestRepos.init(tmp.resolve("repo")); Restorer r = new Restorer(repo, 2)) {
      Id snap = backup(repo);
      Path out = tmp.resolve("out");
      RestoreStats rs = r.restore(repo.loadSnapshot(snap), "data", out,
          p -> p.equals("other/deep/a-elsewhere") || p.equals("other/deep/b-below") || p.equals("other/b"), false);
      assertThat(rs.skipped()).isEmpty();
      assertThat(rs.files()).isEqualTo(3);
      assertThat(out.resolve("other/deep/a-elsewhere")).hasSameBinaryContentAs(src.resolve("docs/a"));
      assertThat(Files.getAttribute(out.resolve("other/deep/a-elsewhere"), "unix:nlink")).isEqualTo(1);
      assertThat(Files.exists(out.resolve("docs"))).isFalse();
      assertThat(DirectoryListing.hardLinkGroups(out)).containsExactly(List.of("other/b", "other/deep/b-below"));
    }
  }

  @Test
  void anOverwritingRestoreReplacesWhatIsInTheWayOfALink() throws Exception {
    try (Repository repo = TestRepos.init(tmp.resolve("repo")); Restorer r = new Restorer(repo, 2)) {
      Id snap = backup(repo);
      Path out = tmp.resolve("out");
      Files.createDirectories(out.resolve("other/deep"));
      Files.writeString(out.resolve("other/deep/a-elsewhere"), "in the way");
      Files.writeString(out.resolve("docs"), "a file where a directory goes");
      RestoreStats rs = r.restore(repo.loadSnapshot(snap), "data", out, p -> true, true);
      assertThat(rs.skipped()).isEmpty();
      assertThat(DirectoryListing.hardLinkGroups(out)).isEqualTo(GROUPS);
      assertThat(out.resolve("other/deep/a-elsewhere")).hasSameBinaryContentAs(src.resolve("docs/a"));
    }
  }

  @Test
  void whereTheTargetCannotHoldHardLinksTheLaterLinksAreCheckedCopiesWithAWarning() throws Exception {
    Configuration noLinks = Configuration.unix().toBuilder()
        .setAttributeViews("basic", "posix")
        .setSupportedFeatures(Feature.SYMBOLIC_LINKS, Feature.FILE_CHANNEL, Feature.SECURE_DIRECTORY_STREAM)
        .build();
    try (Repository repo = TestRepos.init(tmp.resolve("repo")); Restorer r = new Restorer(repo, 2);
        FileSystem fs = Jimfs.newFileSystem(noLinks)) {
      Id snap = backup(repo);
      Path out = fs.getPath("/out");
      RestoreStats rs = r.restore(repo.loadSnapshot(snap), "data", out);
      assertThat(rs.files()).isEqualTo(9);
      assertThat(rs.skipped()).hasSize(4).allMatch(s -> s.contains("restored as a copy of /out/"));
      assertThat(rs.skipped()).anyMatch(s -> s.startsWith("/out/other/deep/a-elsewhere: restored as a copy of /out/docs/a"));
      for (List<String> group : GROUPS) {
        for (String p : group) {
          assertThat(Files.readAllBytes(out.resolve(p))).as(p).isEqualTo(Files.readAllBytes(src.resolve(p)));
          assertThat(Files.getLastModifiedTime(out.resolve(p), LinkOption.NOFOLLOW_LINKS))
              .isEqualTo(Files.getLastModifiedTime(src.resolve(p)));
        }
      }
    }
  }
}
