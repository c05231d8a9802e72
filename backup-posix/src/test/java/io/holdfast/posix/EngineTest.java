package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.BackupEngine;
import io.holdfast.BackupListener;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.ConsistencyLevel;
import io.holdfast.DatasetReport;
import io.holdfast.Phase;
import io.holdfast.PhaseChange;
import io.holdfast.Repository;
import io.holdfast.RestorePlan;
import io.holdfast.RestoreReport;
import io.holdfast.spi.ConsistencyGate;
import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.ResticCli;
import io.holdfast.testkit.SampleTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  @TempDir Path tmp;
  Path repoDir;
  Repository repo;
  Path config;
  Path blobs;
  final AtomicInteger holds = new AtomicInteger();
  final AtomicInteger releases = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    repoDir = tmp.resolve("repo");
    TestRepos.init(repoDir).close();
    repo = Repository.on(TestRepos.store(repoDir), TestRepos.PASSWORD::toCharArray);
    config = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(config.resolve("app.yml"), "port: 8080\n");
    blobs = tmp.resolve("blobs");
    SampleTrees.writeAwkward(blobs, 2, 9);
  }

  private CallbackGate countingGate() {
    return CallbackGate.of("app", holds::incrementAndGet, releases::incrementAndGet);
  }

  private BackupPlan.Builder plan() {
    return BackupPlan.builder("calendar")
        .dataset(DirectoryDataset.live("config", config))
        .dataset(DirectoryDataset.preCopy("blobs", blobs))
        .gate(countingGate())
        .repository(repo)
        .appVersion("4.2.0")
        .tag("nightly");
  }

  @Test
  void aGatedBackupRunsEveryPhaseAndRestoresIdentically() throws Exception {
    List<PhaseChange> seen = new CopyOnWriteArrayList<>();
    BackupReport report;
    try (BackupEngine engine = BackupEngine.builder().listener(new BackupListener() {
      @Override
      public void phase(String plan, PhaseChange change) {
        seen.add(change);
      }
    }).build()) {
      report = engine.backup(plan().build());
    }
    assertThat(report.succeeded()).as(String.valueOf(report.failure())).isTrue();
    assertThat(report.phases()).extracting(PhaseChange::phase)
        .containsExactly(Phase.INITIALIZING, Phase.INITIALIZED, Phase.RUNNING, Phase.SUCCEEDED);
    assertThat(seen).isEqualTo(report.phases());
    assertThat(holds).hasValue(1);
    assertThat(releases).hasValue(1);
    assertThat(report.gateHold()).isPositive();
    assertThat(report.datasets()).extracting(DatasetReport::consistency)
        .containsOnly(ConsistencyLevel.APPLICATION);
    DatasetReport blobReport = report.datasets().stream().filter(d -> d.name().equals("blobs")).findFirst().orElseThrow();
    assertThat(blobReport.provider()).isEqualTo("precopy");
    assertThat(blobReport.filesNew()).isGreaterThan(10);

    RestoreReport restored = BackupEngine.run(RestorePlan.builder(repo).targetRoot(tmp.resolve("out")).build());
    assertThat(restored.succeeded()).as(String.valueOf(restored.failure())).isTrue();
    assertThat(restored.snapshotId()).isEqualTo(report.snapshotId());
    assertThat(DirectoryListing.of(tmp.resolve("out/blobs"))).isEqualTo(DirectoryListing.of(blobs));
    assertThat(DirectoryListing.of(tmp.resolve("out/config"))).isEqualTo(DirectoryListing.of(config));
    assertThat(tmp.resolve("out/.holdfast")).doesNotExist();
  }

  @Test
  void theSnapshotCarriesTagsAndAManifestResticCanRead() throws Exception {
    ResticCli.require();
    BackupReport report = BackupEngine.run(plan().build()).orThrow();
    ResticCli restic = new ResticCli(repoDir, TestRepos.PASSWORD);
    String snaps = restic.ok("snapshots", "--json").stdout();
    assertThat(snaps).contains("\"holdfast\"", "\"plan:calendar\"", "\"nightly\"");
    String manifest = restic.ok("dump", report.snapshotId().orElseThrow(), "/.holdfast/manifest.json").stdout();
    assertThat(manifest).contains("\"app_version\" : \"4.2.0\"", "\"plan\" : \"calendar\"", "\"gate_hold_ms\"",
        "\"consistency\" : \"application\"", "\"provider\" : \"precopy\"");
    restic.ok("check", "--read-data");
  }

  @Test
  void aSecondBackupReusesUnchangedFilesFromTheParent() {
    BackupEngine.run(plan().build()).orThrow();
    BackupReport second = BackupEngine.run(plan().build()).orThrow();
    DatasetReport b = second.datasets().stream().filter(d -> d.name().equals("blobs")).findFirst().orElseThrow();
    assertThat(b.filesNew()).isZero();
    assertThat(b.filesChanged()).isZero();
    assertThat(b.filesUnmodified()).isGreaterThan(10);
    assertThat(b.bytesRead()).isZero();
  }

  @Test
  void aFailingSnapshotFailsTheBackupAndReleasesTheGate() {
    BackupReport report = BackupEngine.run(plan()
        .dataset(DirectoryDataset.builder("disk", config).provider(root -> TestProviders.failing("device busy")).build()).build());
    assertThat(report.succeeded()).isFalse();
    assertThat(report.phase()).isEqualTo(Phase.FAILED);
    assertThat(report.failure().orElseThrow().phase()).isEqualTo(Phase.INITIALIZED);
    assertThat(report.failure().orElseThrow().subject()).isEqualTo("disk");
    assertThat(report.failure().orElseThrow().message()).contains("device busy");
    assertThat(holds).hasValue(1);
    assertThat(releases).hasValue(1);
    assertThat(report.snapshotId()).isEmpty();
    assertThat(TestRepos.open(repoDir).snapshots()).isEmpty();
  }

  @Test
  void theWatchdogEndsAHoldThatOutlastsTheMaximum() {
    AtomicLong releasedAt = new AtomicLong();
    AtomicLong takeDone = new AtomicLong();
    SnapshotProvider slow = TestProviders.instant("slow", () -> {
      try {
        Thread.sleep(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      takeDone.set(System.nanoTime());
      return () -> config;
    });
    long start = System.nanoTime();
    BackupReport report = BackupEngine.run(BackupPlan.builder("slow")
        .dataset(DirectoryDataset.builder("disk", config).provider(root -> slow).build())
        .gate(CallbackGate.of("app", () -> { }, () -> releasedAt.set(System.nanoTime())))
        .maxHold(Duration.ofMillis(300))
        .repository(repo).build());
    assertThat(report.succeeded()).isFalse();
    assertThat(report.failure().orElseThrow().message()).contains("longer than the plan's maximum");
    assertThat(releasedAt.get()).isPositive();
    assertThat(Duration.ofNanos(releasedAt.get() - start)).isLessThan(Duration.ofMillis(2500));
    assertThat(report.gateHold()).isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void aGateThatFailsToAcquireFailsTheBackupUnlessItMayDegrade() {
    ConsistencyGate broken = CallbackGate.of("db", () -> {
      throw new IOException("cannot flush");
    }, () -> { });
    BackupReport failed = BackupEngine.run(plan().gate(broken).build());
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.failure().orElseThrow().message()).contains("db", "cannot flush");
    assertThat(releases).hasValue(holds.get());

    BackupReport degraded = BackupEngine.run(plan().gate(((CallbackGate) broken).onFailure(ConsistencyGate.OnFailure.DEGRADE)).build());
    assertThat(degraded.succeeded()).isTrue();
    assertThat(degraded.datasets()).extracting(DatasetReport::consistency).containsOnly(ConsistencyLevel.NONE);
    assertThat(degraded.warnings()).anyMatch(w -> w.contains("DEGRADE")).anyMatch(w -> w.contains("consistency none"));
  }

  @Test
  void aGateWhoseReleaseFailsIsALoudErrorInTheReport() {
    BackupReport report = BackupEngine.run(plan().clearGates()
        .gate(CallbackGate.of("app", () -> { }, () -> {
          throw new IllegalStateException("resume hook crashed");
        })).build());
    assertThat(report.succeeded()).isTrue();
    assertThat(report.errors()).singleElement().asString().contains("app", "resume hook crashed", "may still be held");
  }

  @Test
  void withoutAGateLiveDatasetsAreConsistencyNoneWithAWarning() {
    BackupReport report = BackupEngine.run(plan().clearGates().build()).orThrow();
    assertThat(report.gateHold()).isLessThan(Duration.ofSeconds(10));
    assertThat(report.datasets()).extracting(DatasetReport::consistency).containsOnly(ConsistencyLevel.NONE);
    assertThat(report.warnings()).anyMatch(w -> w.contains("without a gate"));
  }

  @Test
  void restoreSelectsByTagInstantDatasetAndGlob() throws Exception {
    String first = BackupEngine.run(plan().build()).orThrow().snapshotId().orElseThrow();
    Instant between = Instant.now();
    Thread.sleep(20);
    Files.writeString(config.resolve("app.yml"), "port: 9090\n");
    String second = BackupEngine.run(plan().tag("after").build()).orThrow().snapshotId().orElseThrow();

    RestoreReport asOf = BackupEngine.run(RestorePlan.builder(repo).asOf(between).dataset("config")
        .targetRoot(tmp.resolve("asof")).build()).orThrow();
    assertThat(asOf.snapshotId()).contains(first);
    assertThat(tmp.resolve("asof/config/app.yml")).hasContent("port: 8080\n");
    assertThat(tmp.resolve("asof/blobs")).doesNotExist();

    RestoreReport tagged = BackupEngine.run(RestorePlan.builder(repo).tag("after").plan("calendar")
        .dataset("blobs").include("docs/**").targetRoot(tmp.resolve("tagged")).build()).orThrow();
    assertThat(tagged.snapshotId()).contains(second);
    assertThat(tmp.resolve("tagged/blobs/docs/readme.txt")).exists();
    assertThat(tmp.resolve("tagged/blobs/run.sh")).doesNotExist();
    assertThat(tmp.resolve("tagged/blobs/empty-dir")).doesNotExist();

    RestoreReport missing = BackupEngine.run(RestorePlan.builder(repo).dataset("nope").targetRoot(tmp.resolve("x")).build());
    assertThat(missing.failure().orElseThrow().message()).contains("nope", "config", "blobs");
  }

  @Test
  void restoreModesRefuseOverwriteOrSwapAndHoldTheGate() throws Exception {
    BackupEngine.run(plan().build()).orThrow();
    Files.writeString(config.resolve("app.yml"), "port: broken\n");
    Files.writeString(config.resolve("local-only"), "stays with overwrite, goes with swap");

    RestoreReport refused = BackupEngine.run(RestorePlan.builder(repo).dataset("config").location("config", config).build());
    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.failure().orElseThrow().message()).contains("not empty");
    assertThat(config.resolve("app.yml")).hasContent("port: broken\n");

    int before = holds.get();
    RestoreReport over = BackupEngine.run(RestorePlan.builder(repo).dataset("config").location("config", config)
        .mode(RestorePlan.Mode.OVERWRITE).gate(countingGate()).build()).orThrow();
    assertThat(over.gateHold()).isPositive();
    assertThat(holds.get()).isEqualTo(before + 1);
    assertThat(releases.get()).isEqualTo(holds.get());
    assertThat(config.resolve("app.yml")).hasContent("port: 8080\n");
    assertThat(config.resolve("local-only")).exists();

    BackupEngine.run(RestorePlan.builder(repo).dataset("config").location("config", config)
        .mode(RestorePlan.Mode.ATOMIC_SWAP).build()).orThrow();
    assertThat(config.resolve("app.yml")).hasContent("port: 8080\n");
    assertThat(config.resolve("local-only")).doesNotExist();
    try (var siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("holdfast-"));
    }
  }

  @Test
  void aSnapshotOfAnotherAppVersionIsRefusedUnlessAllowed() {
    BackupEngine.run(plan().build()).orThrow();
    RestoreReport refused = BackupEngine.run(RestorePlan.builder(repo).appVersion("5.0.0")
        .targetRoot(tmp.resolve("v5")).build());
    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.failure().orElseThrow().message()).contains("4.2.0", "5.0.0");
    assertThat(tmp.resolve("v5")).doesNotExist();
    RestoreReport allowed = BackupEngine.run(RestorePlan.builder(repo).appVersion("5.0.0").allowVersionMismatch()
        .targetRoot(tmp.resolve("v5")).build()).orThrow();
    assertThat(allowed.warnings()).anyMatch(w -> w.contains("4.2.0"));
    assertThat(tmp.resolve("v5/config/app.yml")).exists();
  }

  @Test
  void excludeGlobsLeaveFilesOut() {
    BackupPlan p = BackupPlan.builder("x").repository(repo)
        .dataset(DirectoryDataset.builder("blobs", blobs).exclude("docs/deep/**").exclude("**.sh").build()).build();
    BackupEngine.run(p).orThrow();
    BackupEngine.run(RestorePlan.builder(repo).targetRoot(tmp.resolve("ex")).build()).orThrow();
    assertThat(tmp.resolve("ex/blobs/docs/readme.txt")).exists();
    assertThat(tmp.resolve("ex/blobs/docs/deep/deeper")).doesNotExist();
    assertThat(tmp.resolve("ex/blobs/run.sh")).doesNotExist();
  }

  @Test
  void aGateThatAcquiresTooLateIsReleasedAtOnce() throws Exception {
    java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    ConsistencyGate sluggish = new ConsistencyGate() {
      @Override
      public String name() {
        return "sluggish";
      }

      @Override
      public Duration acquireTimeout() {
        return Duration.ofMillis(100);
      }

      @Override
      public Hold acquire(Duration timeout) {
        long end = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < end) {
          try {
            Thread.sleep(50); // ignores interruption, as a badly behaved hook would
          } catch (InterruptedException ignored) {
            // keep going
          }
        }
        return released::countDown;
      }
    };
    BackupReport report = BackupEngine.run(plan().clearGates().gate(sluggish).build());
    assertThat(report.succeeded()).isFalse();
    assertThat(report.failure().orElseThrow().message()).contains("sluggish", "did not acquire");
    assertThat(released.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("late hold released").isTrue();
  }

  @Test
  void gatesAreAcquiredInOrderAndReleasedInReverseAroundEveryFreeze() {
    List<String> events = new CopyOnWriteArrayList<>();
    SnapshotProvider recording = TestProviders.instant("recording", () -> {
      events.add("take");
      return () -> config;
    });
    BackupReport report = BackupEngine.run(BackupPlan.builder("order").repository(repo)
        .dataset(DirectoryDataset.builder("one", config).provider(root -> recording).build())
        .dataset(DirectoryDataset.builder("two", config).provider(root -> recording).build())
        .gate(CallbackGate.of("outer", () -> events.add("outer held"), () -> events.add("outer released")))
        .gate(CallbackGate.of("inner", () -> events.add("inner held"), () -> events.add("inner released")))
        .build()).orThrow();
    assertThat(events).containsExactly("outer held", "inner held", "take", "take", "inner released", "outer released");
    assertThat(report.datasets()).extracting(DatasetReport::consistency).containsOnly(ConsistencyLevel.APPLICATION);
    assertThat(report.datasets()).allSatisfy(d -> assertThat(d.frozenAt()).isNotNull());
  }

  @Test
  void aSnapshotTakenAfterTheBackupFailedIsClosedByTheEngine() throws Exception {
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    SnapshotProvider late = TestProviders.instant("late", () -> {
      TestProviders.sleepIgnoringInterrupts(Duration.ofMillis(500)); // returns after the engine gave up
      return new Snapshot() {
        @Override
        public Path root() {
          return config;
        }

        @Override
        public void close() {
          closed.countDown();
        }
      };
    });
    BackupReport report = BackupEngine.run(plan().clearGates()
        .dataset(DirectoryDataset.builder("broken", config).provider(root -> TestProviders.failing("device busy")).build())
        .dataset(DirectoryDataset.builder("late", config).provider(root -> late).build()).build());
    assertThat(report.succeeded()).isFalse();
    assertThat(closed.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("late snapshot closed").isTrue();
  }

  /** An instant provider whose snapshot records its context and the hooks the engine calls. */
  private SnapshotProvider hooked(List<String> events, IOException completionFailure) {
    return new SnapshotProvider() {
      @Override
      public String name() {
        return "hooked";
      }

      @Override
      public Capability capability() {
        return Capability.INSTANT;
      }

      @Override
      public Snapshot take() {
        throw new AssertionError("the engine must call take(context)");
      }

      @Override
      public Snapshot take(io.holdfast.spi.SnapshotContext context) {
        events.add("take " + context.plan() + "/" + context.dataset() + " run " + context.runId());
        return new Snapshot() {
          @Override
          public Path root() {
            return config;
          }

          @Override
          public java.util.Map<String, String> externalReferences() {
            return java.util.Map.of("ext.snapshot", "snap-1");
          }

          @Override
          public void awaitCompletion(java.util.function.Consumer<String> status) throws IOException {
            events.add("await");
            status.accept("50% done");
            if (completionFailure != null) {
              throw completionFailure;
            }
          }

          @Override
          public void committed(String snapshotId) {
            events.add("committed " + snapshotId);
          }
        };
      }
    };
  }

  @Test
  void theEngineAwaitsCompletionAfterTheHoldAndTellsTheSnapshotItsCommittedId() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    List<String> statuses = new CopyOnWriteArrayList<>();
    BackupReport report;
    try (BackupEngine engine = BackupEngine.builder().listener(new BackupListener() {
      @Override
      public void status(String plan, String dataset, String message) {
        statuses.add(plan + "/" + dataset + ": " + message);
      }
    }).build()) {
      report = engine.backup(BackupPlan.builder("ebs").repository(repo)
          .gate(CallbackGate.of("app", () -> events.add("held"), () -> events.add("released")))
          .dataset(DirectoryDataset.builder("disk", config).provider(root -> hooked(events, null)).build())
          .build()).orThrow();
    }
    String id = report.snapshotId().orElseThrow();
    assertThat(events).hasSize(5);
    assertThat(events.get(0)).isEqualTo("held");
    assertThat(events.get(1)).startsWith("take ebs/disk run ");
    assertThat(events.subList(2, 5)).containsExactly("released", "await", "committed " + id);
    assertThat(statuses).containsExactly("ebs/disk: 50% done");
    assertThat(report.datasets().get(0).externalReferences()).containsEntry("ext.snapshot", "snap-1");
  }

  @Test
  void aProviderThatCannotPrepareFailsTheBackupBeforeAnyGateIsHeld() {
    SnapshotProvider unprepared = new SnapshotProvider() {
      @Override
      public String name() {
        return "unprepared";
      }

      @Override
      public Capability capability() {
        return Capability.INSTANT;
      }

      @Override
      public Snapshot take() {
        throw new AssertionError("never taken");
      }

      @Override
      public SnapshotProvider prepare(io.holdfast.spi.SnapshotContext context) throws IOException {
        throw new IOException("volume vol-9 not found");
      }
    };
    BackupReport report = BackupEngine.run(plan()
        .dataset(DirectoryDataset.builder("disk", config).provider(root -> unprepared).build()).build());
    assertThat(report.succeeded()).isFalse();
    assertThat(report.failure().orElseThrow().message()).contains("vol-9");
    assertThat(report.failure().orElseThrow().subject()).isEqualTo("disk");
    assertThat(holds.get()).isZero();
  }

  @Test
  void aSnapshotThatFailsToCompleteFailsTheBackupAndNothingIsCommitted() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    int before;
    try (io.holdfast.internal.repo.Repository r = TestRepos.open(repoDir)) {
      before = r.snapshots().size();
    }
    BackupReport report = BackupEngine.run(BackupPlan.builder("ebs").repository(repo)
        .dataset(DirectoryDataset.builder("disk", config)
            .provider(root -> hooked(events, new IOException("vol-1: error"))).build())
        .build());
    assertThat(report.succeeded()).isFalse();
    assertThat(report.failure().orElseThrow().message()).contains("disk", "vol-1: error");
    assertThat(events).noneMatch(e -> e.startsWith("committed"));
    try (io.holdfast.internal.repo.Repository r = TestRepos.open(repoDir)) {
      assertThat(r.snapshots()).hasSize(before);
    }
  }

  @Test
  void anInstantSnapshotWithoutAGateIsCrashConsistentAndSaysSoInTheManifest() throws Exception {
    SnapshotProvider instant = TestProviders.instant("instant", () -> () -> config);
    BackupReport report = BackupEngine.run(BackupPlan.builder("crash").repository(repo)
        .dataset(DirectoryDataset.builder("disk", config).provider(root -> instant).build())
        .dataset(DirectoryDataset.live("live", blobs)).build()).orThrow();
    assertThat(report.datasets()).extracting(DatasetReport::name, DatasetReport::consistency)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("disk", ConsistencyLevel.CRASH),
            org.assertj.core.groups.Tuple.tuple("live", ConsistencyLevel.NONE));
    assertThat(report.warnings()).anyMatch(w -> w.contains("live") && w.contains("consistency none"))
        .noneMatch(w -> w.contains("disk") && w.contains("consistency none"));
    BackupEngine.run(RestorePlan.builder(repo).targetRoot(tmp.resolve("c")).build()).orThrow();
    try (io.holdfast.internal.repo.Repository r = TestRepos.open(repoDir)) {
      io.holdfast.internal.repo.Repository.Snapshot snap = r.findSnapshot("latest");
      io.holdfast.internal.repo.Tree root = r.loadTree(io.holdfast.internal.repo.Id.parse(snap.file().tree()));
      io.holdfast.internal.repo.Node meta = root.find(".holdfast");
      io.holdfast.internal.repo.Node manifest = r.loadTree(io.holdfast.internal.repo.Id.parse(meta.subtree())).find("manifest.json");
      String json = new String(r.loadBlob(io.holdfast.internal.repo.BlobType.DATA,
          io.holdfast.internal.repo.Id.parse(manifest.content().get(0))), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(json).contains("\"consistency\" : \"crash\"", "\"consistency\" : \"none\"");
    }
  }

  @Test
  void aRestoreThatFailsPartWayTakesBackWhatItWrote() throws Exception {
    BackupEngine.run(plan().build()).orThrow();
    // lose the pack of the largest data blob: the restore starts, then fails on that file
    try (io.holdfast.internal.repo.Repository r = TestRepos.open(repoDir)) {
      io.holdfast.internal.repo.PackedBlob big = r.indexedBlobs().stream()
          .filter(b -> b.type() == io.holdfast.internal.repo.BlobType.DATA)
          .max(java.util.Comparator.comparingInt(io.holdfast.internal.repo.PackedBlob::length)).orElseThrow();
      Files.delete(repoDir.resolve(io.holdfast.internal.repo.FileType.PACK.key(big.pack())));
    }
    Path out = tmp.resolve("partial");
    RestoreReport failed = BackupEngine.run(RestorePlan.builder(repo).targetRoot(out).build());
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.failure().orElseThrow().message()).contains("missing");
    assertThat(out.resolve("blobs")).doesNotExist();
  }
}
