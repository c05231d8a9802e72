package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.DatasetReport;
import io.holdfast.Repository;
import io.holdfast.RestorePlan;
import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.SampleTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Against a real btrfs on a loop device (skipped, loudly, where that cannot be set up). */
class BtrfsSnapshotProviderTest {
  @RegisterExtension static final LoopFilesystem fs = new LoopFilesystem("1600M", "mkfs.btrfs", "-f", "-q");
  static final AtomicInteger SUBVOLUMES = new AtomicInteger();

  @TempDir Path tmp;
  Path subvolume;
  Repository repo;

  @BeforeEach
  void setUp() throws IOException {
    subvolume = newSubvolume();
    Path repoDir = tmp.resolve("repo");
    TestRepos.init(repoDir).close();
    repo = Repository.on(TestRepos.store(repoDir), TestRepos.PASSWORD::toCharArray);
  }

  private static Path newSubvolume() throws IOException {
    Path p = fs.mount().resolve("data" + SUBVOLUMES.incrementAndGet());
    LoopFilesystem.run("btrfs", "subvolume", "create", p.toString());
    return p;
  }

  private static String subvolumeList() throws IOException {
    return LoopFilesystem.run("btrfs", "subvolume", "list", fs.mount().toString());
  }

  private static void assertNoSnapshotLeft() throws IOException {
    assertThat(subvolumeList()).doesNotContain(".holdfast-snap");
    try (var entries = Files.list(fs.mount())) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("holdfast-snap"));
    }
  }

  @Test
  void takeGivesAReadOnlySnapshotThatLaterWritesDoNotChange() throws IOException {
    Files.writeString(subvolume.resolve("app.db"), "before");
    Snapshot snap = new BtrfsSnapshotProvider(subvolume).take();
    try {
      Files.writeString(subvolume.resolve("app.db"), "after");
      Files.writeString(subvolume.resolve("new.txt"), "new");
      assertThat(snap.root().getParent()).isEqualTo(subvolume.getParent());
      assertThat(snap.root().resolve("app.db")).hasContent("before");
      assertThat(snap.root().resolve("new.txt")).doesNotExist();
      assertThatThrownBy(() -> Files.writeString(snap.root().resolve("app.db"), "tampered"))
          .isInstanceOf(IOException.class);
      assertThat(subvolumeList()).contains(snap.root().getFileName().toString());
    } finally {
      snap.close();
    }
  }

  @Test
  void closeDeletesTheSnapshotAndASecondCloseDoesNothing() throws IOException {
    Snapshot snap = new BtrfsSnapshotProvider(subvolume).take();
    String name = snap.root().getFileName().toString();
    assertThat(subvolumeList()).contains(name);
    snap.close();
    snap.close();
    assertThat(subvolumeList()).doesNotContain(name);
    assertThat(snap.root()).doesNotExist();
  }

  @Test
  void aSnapshotOutsideTheFilesystemFailsNamingTheCommandAndLeavesNothing() throws IOException {
    BtrfsSnapshotProvider elsewhere = new BtrfsSnapshotProvider(subvolume, tmp);
    assertThatThrownBy(elsewhere::take).isInstanceOf(IOException.class)
        .hasMessageContaining("btrfs subvolume snapshot -r " + subvolume);
    assertNoSnapshotLeft();
    try (var entries = Files.list(tmp)) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("holdfast-snap"));
    }
  }

  @Test
  void aBackupThroughTheEngineRestoresIdenticallyAndLeavesNoSnapshot() throws IOException {
    SampleTrees.writeAwkward(subvolume, 2, 9);
    AtomicReference<Instant> released = new AtomicReference<>();
    BackupReport report = BackupEngine.run(BackupPlan.builder("btrfs").repository(repo)
        .dataset(DirectoryDataset.builder("data", subvolume).provider(p -> new BtrfsSnapshotProvider(p)).build())
        .gate(CallbackGate.of("app", () -> { }, () -> released.set(Instant.now())))
        .build()).orThrow();
    // written after the hold: the snapshot, not the live subvolume, was read
    Files.writeString(subvolume.resolve("late.txt"), "after the hold");
    assertThat(report.datasets()).extracting(DatasetReport::provider).containsExactly("btrfs");
    assertNoSnapshotLeft();

    BackupEngine.run(RestorePlan.builder(repo).targetRoot(tmp.resolve("out")).build()).orThrow();
    Files.delete(subvolume.resolve("late.txt"));
    assertThat(DirectoryListing.of(tmp.resolve("out/data"))).isEqualTo(DirectoryListing.of(subvolume));
  }

  @Test
  void aBackupThatFailsAfterTakeLeavesNoSnapshotBehind() throws IOException {
    Files.writeString(subvolume.resolve("app.db"), "data");
    // the engine waits for the datasets' takes in plan order: the snapshot is made, then the backup fails
    BackupReport report = BackupEngine.run(BackupPlan.builder("btrfs").repository(repo)
        .dataset(DirectoryDataset.builder("data", subvolume).provider(p -> new BtrfsSnapshotProvider(p)).build())
        .dataset(DirectoryDataset.builder("disk", tmp).provider(p -> TestProviders.failing("device busy")).build())
        .gate(CallbackGate.of("app", () -> { }, () -> { }))
        .build());
    assertThat(report.succeeded()).isFalse();
    assertThat(report.failure().orElseThrow().message()).contains("device busy");
    assertNoSnapshotLeft();
  }

  @Test
  void aSnapshotTakenAfterAnotherDatasetFailedIsDeletedToo() throws Exception {
    BtrfsSnapshotProvider btrfs = new BtrfsSnapshotProvider(subvolume);
    CountDownLatch closed = new CountDownLatch(1);
    SnapshotProvider slow = TestProviders.instant("slow-btrfs", () -> {
      TestProviders.sleepIgnoringInterrupts(Duration.ofMillis(800)); // returns after the engine gave up
      Snapshot snap = btrfs.take();
      return new Snapshot() {
        @Override
        public Path root() {
          return snap.root();
        }

        @Override
        public void close() throws IOException {
          snap.close();
          closed.countDown();
        }
      };
    });
    BackupReport report = BackupEngine.run(BackupPlan.builder("btrfs").repository(repo)
        .dataset(DirectoryDataset.builder("disk", tmp).provider(p -> TestProviders.failing("device busy")).build())
        .dataset(DirectoryDataset.builder("data", subvolume).provider(p -> slow).build())
        .gate(CallbackGate.of("app", () -> { }, () -> { }))
        .build());
    assertThat(report.succeeded()).isFalse();
    assertThat(closed.await(10, TimeUnit.SECONDS)).as("late snapshot closed").isTrue();
    assertNoSnapshotLeft();
  }

  @Test
  void gateHoldIsIndependentOfTheDataSize() throws IOException {
    Path small = subvolume;
    writeRandom(small, 10, 1 << 20);
    Path large = newSubvolume();
    writeRandom(large, 16, 64 << 20);
    LoopFilesystem.run("sync");
    for (Path p : new Path[] {small, large}) {
      BackupReport r = BackupEngine.run(BackupPlan.builder("size").repository(repo)
          .dataset(DirectoryDataset.builder("data", p).provider(q -> new BtrfsSnapshotProvider(q)).build())
          .gate(CallbackGate.of("app", () -> { }, () -> { }))
          .build()).orThrow();
      DatasetReport d = r.datasets().get(0);
      System.out.printf("btrfs gate hold, %d MiB dataset: %d ms (%d bytes read after the hold)%n",
          size(p) >> 20, r.gateHold().toMillis(), d.bytesRead());
    }
    assertNoSnapshotLeft();
  }

  @Test
  void twoSubvolumesAndALiveDirectoryAreFrozenInOneHold() throws IOException {
    Path blobs = newSubvolume();
    SampleTrees.writeAwkward(subvolume, 1, 5);
    writeRandom(blobs, 4, 1 << 20);
    Path config = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(config.resolve("app.yml"), "port: 8080\n");
    AtomicReference<Instant> heldAt = new AtomicReference<>();
    AtomicReference<Instant> releasedAt = new AtomicReference<>();
    BackupReport r = BackupEngine.run(BackupPlan.builder("multi").repository(repo)
        .dataset(DirectoryDataset.builder("metadata", subvolume).provider(p -> new BtrfsSnapshotProvider(p)).build())
        .dataset(DirectoryDataset.builder("blobs", blobs).provider(p -> new BtrfsSnapshotProvider(p)).build())
        .dataset(DirectoryDataset.live("config", config))
        .gate(CallbackGate.of("app", () -> heldAt.set(Instant.now()), () -> releasedAt.set(Instant.now())))
        .build()).orThrow();
    System.out.printf("btrfs+btrfs+live in one hold: gate hold %d ms, window %s .. %s%n",
        r.gateHold().toMillis(), heldAt.get(), releasedAt.get());
    for (DatasetReport d : r.datasets()) {
      System.out.printf("  %-8s %-6s frozen at +%.1f ms into the hold%n", d.name(), d.provider(),
          Duration.between(heldAt.get(), d.frozenAt()).toNanos() / 1e6);
      assertThat(d.frozenAt()).isBetween(heldAt.get(), releasedAt.get());
    }
    assertNoSnapshotLeft();
  }

  private static void writeRandom(Path dir, int files, int bytesEach) throws IOException {
    SplittableRandom random = new SplittableRandom(files);
    byte[] buf = new byte[1 << 20];
    for (int f = 0; f < files; f++) {
      try (OutputStream out = Files.newOutputStream(dir.resolve("blob-" + f + ".bin"))) {
        for (int written = 0; written < bytesEach; written += buf.length) {
          for (int i = 0; i < buf.length; i += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8; b++) {
              buf[i + b] = (byte) (v >>> (8 * b));
            }
          }
          out.write(buf, 0, Math.min(buf.length, bytesEach - written));
        }
      }
    }
  }

  private static long size(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
