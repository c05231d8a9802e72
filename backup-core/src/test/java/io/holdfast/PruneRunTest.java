package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Host;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.storage.InMemoryBlobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PruneRunTest {
  private static final char[] PW = "prune run".toCharArray();
  final InMemoryBlobStore store = new InMemoryBlobStore();
  final Repository repository = Repository.on(store, PW::clone);
  io.holdfast.internal.repo.Repository holder;

  @BeforeEach
  void init() {
    holder = io.holdfast.internal.repo.Repository.init(store, PW, new ScryptParams(1024, 8, 1),
        RepositoryOptions.defaults(), Clock.systemUTC());
  }

  /** A clock that moves only when the test moves it. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aPruneWhileABackupHoldsItsLockFailsNamingTheHolder() throws Exception {
    try (RepositoryLock shared = RepositoryLock.acquire(holder, false)) {
      PruneReport report = BackupEngine.run(PrunePlan.builder(repository).build());
      assertThat(report.succeeded()).isFalse();
      Failure f = report.failure().orElseThrow();
      assertThat(f.cause()).isInstanceOf(LockConflictException.class);
      assertThat(f.message()).contains("cannot prune", "PID " + ProcessHandle.current().pid(),
          Host.current().hostname(), "s ago", shared.id().shortHex(), "give it a lock wait");
      assertThatThrownBy(report::orThrow).hasCauseInstanceOf(LockConflictException.class);
      assertThat(holder.list(FileType.LOCK)).containsExactly(shared.id()); // its own lock is gone again
    }
  }

  @Test
  void aPruneWaitsForALockToBeReleased() {
    ManualClock clock = new ManualClock();
    RepositoryLock shared = RepositoryLock.acquire(holder, false);
    List<Duration> sleeps = new ArrayList<>();
    PruneReport report = new PruneRun(PrunePlan.builder(repository).lockWait(Duration.ofMinutes(1)).build(), clock,
        List.of(),
        d -> {
          sleeps.add(d);
          clock.now = clock.now.plus(d);
          if (sleeps.size() == 3) {
            shared.close(); // the backup ends
          }
        }).run();
    assertThat(report.failure()).isEmpty();
    assertThat(sleeps).containsOnly(PruneRun.RETRY_EVERY).hasSize(3);
    assertThat(holder.list(FileType.LOCK)).isEmpty();
  }

  @Test
  void aPruneGivesUpWhenItsLockWaitIsOver() {
    ManualClock clock = new ManualClock();
    try (RepositoryLock shared = RepositoryLock.acquire(holder, false)) {
      List<Duration> sleeps = new ArrayList<>();
      PruneReport report = new PruneRun(PrunePlan.builder(repository).lockWait(Duration.ofSeconds(12)).build(), clock,
          List.of(),
          d -> {
            sleeps.add(d);
            clock.now = clock.now.plus(d);
          }).run();
      assertThat(report.failure().orElseThrow().message()).contains("waited 12 s");
      assertThat(sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2));
    }
  }

  @Test
  void aBackupCannotLockWhilePruneHoldsTheExclusiveLock() {
    try (RepositoryLock exclusive = RepositoryLock.acquire(holder, true)) {
      assertThatThrownBy(() -> RepositoryLock.acquire(holder, false)).isInstanceOf(LockConflictException.class)
          .hasMessageContaining("locked exclusively by PID");
    }
  }

  @Test
  void aPruneTellsItsListenerItsPhasesEachStepAndThePacksItHasDeleted() throws Exception {
    byte[] unused = "no snapshot needs this".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    holder.saveBlob(io.holdfast.internal.repo.BlobType.DATA, io.holdfast.internal.repo.Id.hash(unused), unused);
    holder.flush();
    long packBytes = store.list(FileType.PACK.prefix()).get(0).size();

    RecordingListener heard = new RecordingListener();
    PruneReport report;
    try (BackupEngine engine = BackupEngine.builder().listener(heard).build()) {
      report = engine.prune(PrunePlan.builder(repository).build());
    }
    assertThat(report.succeeded()).as(String.valueOf(report.failure())).isTrue();
    assertThat(report.packsDeleted()).isEqualTo(1);
    assertThat(heard.phases).containsExactly(Phase.INITIALIZING, Phase.INITIALIZED, Phase.RUNNING, Phase.SUCCEEDED);
    assertThat(heard.steps).containsExactly("repository: finding the blobs 0 snapshots use, in 1 packs",
        "repository: writing the index of 0 packs", "repository: deleting 1 packs");
    assertThat(heard.done).containsExactly(new RecordingListener.Done(1, packBytes));
  }

  @Test
  void aFailedPruneTellsItsListenerItFailed() {
    try (RepositoryLock shared = RepositoryLock.acquire(holder, false)) {
      RecordingListener heard = new RecordingListener();
      try (BackupEngine engine = BackupEngine.builder().listener(heard).build()) {
        assertThat(engine.prune(PrunePlan.builder(repository).build()).succeeded()).isFalse();
      }
      assertThat(heard.phases).containsExactly(Phase.INITIALIZING, Phase.FAILED);
    }
  }

  @Test
  void planSettingsAreCheckedWhenSet() {
    assertThatThrownBy(() -> PrunePlan.builder(repository).maxUnusedPercent(101))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrunePlan.builder(repository).maxUnusedPercent(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrunePlan.builder(repository).lockWait(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    PrunePlan plan = PrunePlan.builder(repository).build();
    assertThat(plan.maxUnusedPercent()).isEqualTo(PrunePlan.DEFAULT_MAX_UNUSED_PERCENT);
    assertThat(plan.dryRun()).isFalse();
    assertThat(plan.lockWait()).isZero();
  }
}
