package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.Repository;
import io.holdfast.RestorePlan;
import io.holdfast.spi.Snapshot;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.SampleTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Against a real XFS with reflinks on a loop device (skipped, loudly, where that cannot be set up). */
class ReflinkSnapshotProviderTest {
  @RegisterExtension static final LoopFilesystem fs = new LoopFilesystem("400M", "mkfs.xfs", "-f", "-q", "-m", "reflink=1");
  static int dirs;

  @TempDir Path tmp;
  Path data;
  Path staging;

  @BeforeEach
  void setUp() throws IOException {
    dirs++;
    data = Files.createDirectories(fs.mount().resolve("data" + dirs));
    staging = Files.createDirectories(fs.mount().resolve("staging" + dirs));
  }

  @Test
  void takeMakesACopyThatLaterWritesDoNotChangeAndCloseRemovesIt() throws IOException {
    Files.writeString(data.resolve("app.db"), "before");
    Files.createDirectories(data.resolve("sub"));
    byte[] blob = new byte[32 << 20];
    new java.util.SplittableRandom(7).nextBytes(blob);
    Files.write(data.resolve("sub/blob"), blob);
    LoopFilesystem.run("sync");
    long freeBefore = Files.getFileStore(data).getUsableSpace();
    Snapshot snap = new ReflinkSnapshotProvider(data, staging).take();
    Path copy = snap.root();
    LoopFilesystem.run("sync");
    // the copy shares the blob's extents: it costs metadata, not another 32 MiB
    assertThat(freeBefore - Files.getFileStore(data).getUsableSpace()).isLessThan(4 << 20);
    assertThat(copy.getParent()).isEqualTo(staging);
    Files.writeString(data.resolve("app.db"), "after");
    Files.writeString(data.resolve("new.txt"), "new");
    assertThat(copy.resolve("app.db")).hasContent("before");
    assertThat(copy.resolve("sub/blob")).hasBinaryContent(blob);
    assertThat(copy.resolve("new.txt")).doesNotExist();
    snap.close();
    snap.close();
    assertThat(copy).doesNotExist();
    assertThat(staging).isEmptyDirectory();
  }

  @Test
  void aCopyThatFailsHalfWayIsRemoved() throws IOException {
    // tmp is another filesystem: cp makes the directory, then cannot clone the file into it
    Files.writeString(data.resolve("app.db"), "data");
    assertThatThrownBy(() -> new ReflinkSnapshotProvider(data, tmp).take()).isInstanceOf(IOException.class)
        .hasMessageContaining("cp -a --reflink=always");
    try (var entries = Files.list(tmp)) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("holdfast-snap"));
    }
  }

  @Test
  void aBackupThroughTheEngineRestoresIdenticallyAndRemovesTheCopy() throws IOException {
    SampleTrees.writeAwkward(data, 1, 5);
    Path repoDir = tmp.resolve("repo");
    TestRepos.init(repoDir).close();
    Repository repo = Repository.on(TestRepos.store(repoDir), TestRepos.PASSWORD::toCharArray);
    BackupEngine.run(BackupPlan.builder("reflink").repository(repo)
        .dataset(DirectoryDataset.builder("data", data).provider(p -> new ReflinkSnapshotProvider(p, staging)).build())
        .gate(CallbackGate.of("app", () -> { }, () -> { }))
        .build()).orThrow();
    assertThat(staging).isEmptyDirectory();
    BackupEngine.run(RestorePlan.builder(repo).targetRoot(tmp.resolve("out")).build()).orThrow();
    assertThat(DirectoryListing.of(tmp.resolve("out/data"))).isEqualTo(DirectoryListing.of(data));
  }
}
