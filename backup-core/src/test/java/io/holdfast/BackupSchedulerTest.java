package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.BackupScheduler.Missed;
import io.holdfast.BackupScheduler.Schedule;
import io.holdfast.spi.Dataset;
import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import io.holdfast.storage.InMemoryBlobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BackupSchedulerTest {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final Duration WAIT = Duration.ofSeconds(30);

  InMemoryBlobStore store;
  Repository repo;
  MutableClock clock;
  BackupEngine engine;
  final List<BackupScheduler.Run> runs = new CopyOnWriteArrayList<>();
  final List<Missed> missed = new CopyOnWriteArrayList<>();
  final Probe probe = new Probe();
  BackupScheduler scheduler;

  /**
   * A dataset whose take() counts concurrent runs (until its snapshot is closed), can be made to
   * fail, and can be held until released.
   */
  static final class Probe implements Dataset {
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger maxActive = new AtomicInteger();
    final AtomicBoolean fail = new AtomicBoolean();
    volatile CountDownLatch hold;
    final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public String name() {
      return "probe";
    }

    @Override
    public SnapshotProvider provider() {
      return new SnapshotProvider() {
        @Override
        public String name() {
          return "probe";
        }

        @Override
        public Capability capability() {
          return Capability.INSTANT;
        }

        @Override
        public Snapshot take() throws IOException {
          if (fail.get()) {
            throw new IOException("probe made to fail");
          }
          maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
          entered.countDown();
          CountDownLatch h = hold;
          if (h != null) {
            try {
              h.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return new Snapshot() {
            @Override
            public Path root() {
              return null;
            }

            @Override
            public void close() {
              active.decrementAndGet();
            }
          };
        }
      };
    }
  }

  @BeforeEach
  void setUp() {
    store = new InMemoryBlobStore();
    repo = MemoryRepos.create(store);
    clock = new MutableClock(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC);
    engine = BackupEngine.builder().clock(clock).build();
  }

  @AfterEach
  void tearDown() {
    if (probe.hold != null) {
      probe.hold.countDown();
    }
    if (scheduler != null) {
      scheduler.close();
    }
    engine.close();
  }

  BackupPlan.Builder plan() {
    return BackupPlan.builder("db").repository(repo).dataset(probe).maxHold(Duration.ofMinutes(1));
  }

  BackupScheduler scheduler(BackupPlan plan, Schedule schedule) {
    scheduler = BackupScheduler.builder(engine).clock(clock).schedule(plan, schedule)
        .listener(new BackupScheduler.Listener() {
          @Override
          public void finished(BackupScheduler.Run run) {
            runs.add(run);
          }

          @Override
          public void missed(Missed m) {
            missed.add(m);
          }
        }).build();
    return scheduler;
  }

  /** Advances the clock in {@code step}s until {@code until}, ticking and letting each run finish. */
  void simulate(Duration step, Instant until) throws InterruptedException {
    while (clock.instant().isBefore(until)) {
      clock.advance(step);
      scheduler.tick();
      assertThat(scheduler.awaitIdle(WAIT)).isTrue();
    }
  }

  static List<Instant> instants(String... times) {
    return java.util.Arrays.stream(times).map(t -> ZonedDateTime.parse(t).toInstant()).toList();
  }

  @Test
  void hourlyAtAQuarterPastRunsAtTheRightInstantsOverASimulatedDayAndAppliesRetention() throws Exception {
    scheduler(plan().retention(RetentionPolicy.builder().keepLast(3).build()).build(), Schedule.hourly(15));
    simulate(Duration.ofMinutes(5), Instant.parse("2024-05-02T00:00:00Z"));

    List<Instant> expected = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      expected.add(Instant.parse("2024-05-01T00:15:00Z").plus(Duration.ofHours(h)));
    }
    assertThat(runs).extracting(BackupScheduler.Run::due).containsExactlyElementsOf(expected);
    assertThat(runs).extracting(BackupScheduler.Run::started).containsExactlyElementsOf(expected);
    assertThat(runs).allMatch(r -> r.backup().succeeded() && r.forget().orElseThrow().succeeded());
    assertThat(runs.get(23).forget().orElseThrow().removed()).hasSize(1);
    assertThat(MemoryRepos.snapshotIds(store)).hasSize(3);
    assertThat(missed).isEmpty();
  }

  @Test
  void dailyRunsOncePerLocalDayAcrossTheSpringForwardGap() throws Exception {
    clock.set(Instant.parse("2024-03-29T00:00:00Z"));
    scheduler(plan().build(), Schedule.daily(LocalTime.of(2, 30), BERLIN));
    simulate(Duration.ofMinutes(15), Instant.parse("2024-04-02T00:00:00Z"));
    // 2024-03-31 02:30 does not exist in Berlin: that day's run is at 03:30 CEST, an hour "late"
    assertThat(runs).extracting(BackupScheduler.Run::due).containsExactlyElementsOf(instants(
        "2024-03-29T02:30+01:00", "2024-03-30T02:30+01:00", "2024-03-31T03:30+02:00", "2024-04-01T02:30+02:00"));
    assertThat(missed).isEmpty();
  }

  @Test
  void schedulesKnowDaylightSavingDays() {
    Schedule daily = Schedule.daily(LocalTime.of(2, 30), BERLIN);
    // falling back, 02:30 happens twice: the daily run is at the first only
    Instant first = daily.next(Instant.parse("2024-10-26T12:00:00Z"));
    assertThat(first).isEqualTo(ZonedDateTime.parse("2024-10-27T02:30+02:00").toInstant());
    assertThat(daily.next(first)).isEqualTo(ZonedDateTime.parse("2024-10-28T02:30+01:00").toInstant());
    // an hourly schedule in Berlin runs in both 02:xx hours of that night
    Schedule hourly = Schedule.hourly(15, BERLIN);
    Instant a = hourly.next(ZonedDateTime.parse("2024-10-27T02:00+02:00").toInstant());
    Instant b = hourly.next(a);
    assertThat(List.of(a, b)).containsExactlyElementsOf(instants("2024-10-27T02:15+02:00", "2024-10-27T02:15+01:00"));
    // fixed periods are whole multiples since the epoch
    assertThat(Schedule.every(Duration.ofMinutes(20)).next(Instant.parse("2024-05-01T10:05:00Z")))
        .isEqualTo(Instant.parse("2024-05-01T10:20:00Z"));
    assertThat(Schedule.every(Duration.ofMinutes(20)).next(Instant.parse("2024-05-01T10:20:00Z")))
        .isEqualTo(Instant.parse("2024-05-01T10:40:00Z"));
    assertThatThrownBy(() -> Schedule.hourly(60)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Schedule.every(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSlowRunMakesTheNextOneMissedAndRunsNeverOverlap() throws Exception {
    scheduler(plan().build(), Schedule.hourly(15));
    probe.hold = new CountDownLatch(1);
    clock.set(Instant.parse("2024-05-01T00:15:00Z"));
    scheduler.tick();
    assertThat(probe.entered.await(30, TimeUnit.SECONDS)).isTrue();
    clock.set(Instant.parse("2024-05-01T01:15:00Z"));
    scheduler.tick();
    clock.set(Instant.parse("2024-05-01T01:30:00Z"));
    scheduler.tick();
    assertThat(missed).containsExactly(new Missed("db", instants("2024-05-01T01:15Z"), 0,
        Missed.Reason.STILL_RUNNING));
    probe.hold.countDown();
    assertThat(scheduler.awaitIdle(WAIT)).isTrue();
    clock.set(Instant.parse("2024-05-01T02:15:00Z"));
    scheduler.tick();
    assertThat(scheduler.awaitIdle(WAIT)).isTrue();
    assertThat(runs).extracting(BackupScheduler.Run::due)
        .containsExactlyElementsOf(instants("2024-05-01T00:15Z", "2024-05-01T02:15Z"));
    assertThat(probe.maxActive.get()).isEqualTo(1);
  }

  @Test
  void dueTimesThatPassedWhileAsleepAreReportedOnceAndOnlyTheLatestRuns() throws Exception {
    scheduler(plan().build(), Schedule.hourly(15));
    simulate(Duration.ofMinutes(20), Instant.parse("2024-05-01T00:20:00Z"));
    clock.set(Instant.parse("2024-05-01T05:20:00Z")); // the machine slept five hours
    scheduler.tick();
    assertThat(scheduler.awaitIdle(WAIT)).isTrue();
    simulate(Duration.ofMinutes(5), Instant.parse("2024-05-01T05:40:00Z"));

    assertThat(runs).extracting(BackupScheduler.Run::due)
        .containsExactlyElementsOf(instants("2024-05-01T00:15Z", "2024-05-01T05:15Z"));
    assertThat(runs.get(1).started()).isEqualTo(Instant.parse("2024-05-01T05:20:00Z"));
    assertThat(missed).containsExactly(new Missed("db", instants("2024-05-01T01:15Z", "2024-05-01T02:15Z",
        "2024-05-01T03:15Z", "2024-05-01T04:15Z"), 0, Missed.Reason.TIME_PASSED));
    assertThat(scheduler.nextDue()).isEqualTo(Instant.parse("2024-05-01T06:15:00Z"));
  }

  @Test
  void aClockSetBackMakesSchedulesCountFromTheNewTime() throws Exception {
    scheduler(plan().build(), Schedule.hourly(15));
    clock.set(Instant.parse("2024-05-01T10:20:00Z"));
    scheduler.tick(); // runs the 10:15 slot late (the first due, 00:15, and the rest count as missed)
    assertThat(scheduler.awaitIdle(WAIT)).isTrue();
    assertThat(scheduler.nextDue()).isEqualTo(Instant.parse("2024-05-01T11:15:00Z"));
    clock.set(Instant.parse("2024-05-01T08:05:00Z"));
    scheduler.tick();
    assertThat(scheduler.nextDue()).isEqualTo(Instant.parse("2024-05-01T08:15:00Z"));
    simulate(Duration.ofMinutes(5), Instant.parse("2024-05-01T08:20:00Z"));
    assertThat(runs).extracting(BackupScheduler.Run::due)
        .containsExactlyElementsOf(instants("2024-05-01T10:15Z", "2024-05-01T08:15Z"));
  }

  @Test
  void retentionRunsAfterASuccessfulBackupOnlyAndThenTheHook() throws Exception {
    List<ForgetReport> hooked = new CopyOnWriteArrayList<>();
    BackupPlan p = plan().retention(RetentionPolicy.builder().keepLast(1).build()).build();
    scheduler = BackupScheduler.builder(engine).clock(clock).schedule(p, Schedule.every(Duration.ofHours(1)))
        .listener(new BackupScheduler.Listener() {
          @Override
          public void finished(BackupScheduler.Run run) {
            runs.add(run);
          }
        }).afterForget((plan, report) -> hooked.add(report))
        .pruneAfterForget(repo -> PrunePlan.builder(repo).build()).build();
    engine.backup(p).orThrow(); // two snapshots before the scheduled runs: retention would remove one
    clock.advance(Duration.ofMinutes(1));
    engine.backup(p).orThrow();

    probe.fail.set(true);
    simulate(Duration.ofMinutes(30), Instant.parse("2024-05-01T01:00:00Z"));
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).backup().succeeded()).isFalse();
    assertThat(runs.get(0).forget()).isEmpty();
    assertThat(runs.get(0).prune()).isEmpty();
    assertThat(MemoryRepos.snapshotIds(store)).hasSize(2);
    assertThat(hooked).isEmpty();

    probe.fail.set(false);
    simulate(Duration.ofMinutes(30), Instant.parse("2024-05-01T02:00:00Z"));
    assertThat(runs).hasSize(2);
    assertThat(runs.get(1).forget().orElseThrow().removed()).hasSize(2);
    assertThat(MemoryRepos.snapshotIds(store)).containsExactly(runs.get(1).backup().snapshotId().orElseThrow());
    assertThat(hooked).containsExactly(runs.get(1).forget().orElseThrow());
    PruneReport pruned = runs.get(1).prune().orElseThrow().orThrow(); // the forgotten snapshots' data is gone
    assertThat(pruned.failure()).isEmpty();
    assertThat(BackupEngine.run(VerifyPlan.builder(p.repository()).readAllData().build()).ok()).isTrue();
  }

  @Test
  void closeWaitsForTheRunningBackupAndThenNothingMoreRuns() throws Exception {
    scheduler(plan().build(), Schedule.hourly(15));
    probe.hold = new CountDownLatch(1);
    clock.set(Instant.parse("2024-05-01T00:15:00Z"));
    scheduler.tick();
    assertThat(probe.entered.await(30, TimeUnit.SECONDS)).isTrue();
    Thread closer = new Thread(scheduler::close);
    closer.start();
    closer.join(50);
    assertThat(closer.isAlive()).as("close waits for the run").isTrue();
    probe.hold.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(closer.isAlive()).isFalse();
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).backup().succeeded()).isTrue();
    clock.set(Instant.parse("2024-05-01T01:15:00Z"));
    scheduler.tick();
    assertThat(scheduler.awaitIdle(WAIT)).isTrue();
    assertThat(runs).hasSize(1);
    assertThat(probe.active.get()).isZero();
  }

  @Test
  void closePastItsTimeoutInterruptsTheRunAndReturnsOnlyOnceItHasReleasedItsGateAndLock() throws Exception {
    CountDownLatch releasing = new CountDownLatch(1);
    AtomicBoolean released = new AtomicBoolean();
    io.holdfast.spi.ConsistencyGate gate = new io.holdfast.spi.ConsistencyGate() {
      @Override
      public String name() {
        return "slow-release";
      }

      @Override
      public Hold acquire(Duration timeout) {
        return () -> {
          releasing.await(30, TimeUnit.SECONDS); // as an application slow to resume
          released.set(true);
        };
      }
    };
    scheduler = BackupScheduler.builder(engine).clock(clock).schedule(plan().gate(gate).build(), Schedule.hourly(15))
        .closeTimeout(Duration.ZERO)
        .listener(new BackupScheduler.Listener() {
          @Override
          public void finished(BackupScheduler.Run run) {
            runs.add(run);
          }
        }).build();
    probe.hold = new CountDownLatch(1); // released only in tearDown: the run must be interrupted
    clock.set(Instant.parse("2024-05-01T00:15:00Z"));
    scheduler.tick();
    assertThat(probe.entered.await(30, TimeUnit.SECONDS)).isTrue();

    Thread closer = new Thread(scheduler::close);
    closer.start();
    closer.join(50);
    assertThat(closer.isAlive()).as("close waits for the interrupted run to release its gate").isTrue();
    releasing.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(closer.isAlive()).isFalse();
    assertThat(released).isTrue();
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).backup().succeeded()).isFalse();
    assertThat(store.list(io.holdfast.internal.repo.FileType.LOCK.prefix())).as("the run's lock").isEmpty();
  }

  @Test
  void startRunsTheLoopWithTheGivenSleeper() throws Exception {
    AtomicReference<BackupScheduler> self = new AtomicReference<>();
    List<Instant> slept = new CopyOnWriteArrayList<>();
    BackupScheduler.Sleeper fake = (c, deadline) -> {
      self.get().awaitIdle(WAIT);
      if (slept.size() == 3) {
        new CountDownLatch(1).await(); // until close() interrupts
      }
      slept.add(deadline);
      clock.set(deadline);
    };
    scheduler = BackupScheduler.builder(engine).clock(clock).sleeper(fake)
        .schedule(plan().build(), Schedule.every(Duration.ofMinutes(30)))
        .listener(new BackupScheduler.Listener() {
          @Override
          public void finished(BackupScheduler.Run run) {
            runs.add(run);
          }
        }).build();
    self.set(scheduler);
    scheduler.start();
    assertThatThrownBy(scheduler::start).isInstanceOf(IllegalStateException.class);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (runs.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    scheduler.close();
    assertThat(runs).extracting(BackupScheduler.Run::due).startsWith(
        Instant.parse("2024-05-01T00:30:00Z"), Instant.parse("2024-05-01T01:00:00Z"),
        Instant.parse("2024-05-01T01:30:00Z"));
    assertThat(slept).hasSize(3);
  }

  @Test
  void aPlanIsScheduledOnce() {
    BackupPlan p = plan().build();
    assertThatThrownBy(() -> BackupScheduler.builder(engine).schedule(p, Schedule.hourly(0))
        .schedule(p.toBuilder().build(), Schedule.hourly(30))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }
}
