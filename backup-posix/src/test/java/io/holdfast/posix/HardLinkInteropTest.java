package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.restorer.RestoreStats;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.ResticCli;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hard links survive a backup by one tool and a restore by the other. */
class HardLinkInteropTest {
  @TempDir Path tmp;
  Path src;
  Path repoDir;
  ResticCli restic;

  @BeforeEach
  void setUp() throws Exception {
    ResticCli.require();
    src = tmp.resolve("src");
    HardLinkRestoreTest.writeLinkedTree(src);
    repoDir = tmp.resolve("repo");
    restic = new ResticCli(repoDir, TestRepos.PASSWORD);
  }

  @Test
  void resticRestoresTheHardLinksOfAHoldfastBackup() {
    try (Repository repo = TestRepos.init(repoDir)) {
      TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", src));
    }
    Path out = tmp.resolve("restic-out");
    restic.ok("restore", "latest", "--target", out.toString());
    assertThat(DirectoryListing.hardLinkGroups(out.resolve("data"))).isEqualTo(HardLinkRestoreTest.GROUPS);
    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
  }

  @Test
  void holdfastRestoresTheHardLinksOfAResticBackup() {
    restic.ok("init");
    restic.ok("backup", src.toString());
    Path out = tmp.resolve("holdfast-out");
    try (Repository repo = TestRepos.open(repoDir); Restorer r = new Restorer(repo, 2)) {
      RestoreStats rs = r.restore(repo.findSnapshot("latest"), src.toString(), out);
      assertThat(rs.skipped()).isEmpty();
    }
    assertThat(DirectoryListing.hardLinkGroups(out)).isEqualTo(HardLinkRestoreTest.GROUPS);
    assertThat(DirectoryListing.of(out)).isEqualTo(DirectoryListing.of(src));
  }
}
