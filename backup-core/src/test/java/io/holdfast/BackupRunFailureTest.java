package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.spi.ConsistencyGate;
import io.holdfast.spi.Dataset;
import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import io.holdfast.storage.InMemoryBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup that fails while other datasets are still being taken or read: the gates wait for every
 * take (never past the plan's maximum hold), every snapshot is closed once and only after the
 * work on it stopped, and the report names the first failure.
 */
class BackupRunFailureTest {
  /** Long enough never to be reached when the engine behaves; only a wrong engine waits it out. */
  static final long PATIENCE_SECONDS = 10;

  @TempDir
  Path dir;

  final List<String> events = new CopyOnWriteArrayList<>();
  final List<CountDownLatch> toOpen = new CopyOnWriteArrayList<>();
  Repository repo;
  BackupEngine engine;

  /** What a fake's take, read, awaitCompletion or close does besides logging. */
  interface Step {
    void run() throws Exception;
  }

  /** A dataset whose provider does what the test sets and logs each call to {@link #events}. */
  final class Fake implements Dataset {
    final String name;
    final Path root;
    final CountDownLatch takeStarted = new CountDownLatch(1);
    final CountDownLatch taken = new CountDownLatch(1);
    final CountDownLatch readStarted = new CountDownLatch(1);
    final CountDownLatch awaitStarted = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    volatile boolean reading;
    volatile boolean awaiting;
    Step take = () -> { };
    Step read = () -> { };
    Step await = () -> { };
    Step close = () -> { };

    Fake(String name, boolean withFiles) throws IOException {
      this.name = name;
      if (withFiles) {
        root = Files.createDirectories(dir.resolve(name));
        Files.writeString(root.resolve("file"), "content of " + name);
      } else {
        root = null;
      }
    }

    @Override
    public String name() {
      return name;
    }

    /** Called by the engine's read of the snapshot, once per entry. */
    @Override
    public boolean excludes(String path, boolean directory) {
      reading = true;
      readStarted.countDown();
      try {
        read.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("read of " + name + " interrupted", e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      } finally {
        reading = false;
      }
      return false;
    }

    @Override
    public SnapshotProvider provider() {
      return new SnapshotProvider() {
        @Override
        public String name() {
          return "fake";
        }

        @Override
        public Capability capability() {
          return Capability.INSTANT;
        }

        @Override
        public Snapshot take() throws IOException {
          takeStarted.countDown();
          try {
            take.run();
          } catch (IOException | RuntimeException e) {
            events.add("take " + name + " failed");
            throw e;
          } catch (Exception e) {
            throw new IOException(e);
          }
          events.add("take " + name + " returned");
          taken.countDown();
          return new FakeSnapshot();
        }
      };
    }

    final class FakeSnapshot implements Snapshot {
      @Override
      public Path root() {
        return root;
      }

      @Override
      public void awaitCompletion(java.util.function.Consumer<String> status) throws IOException {
        awaiting = true;
        awaitStarted.countDown();
        try {
          await.run();
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e);
        } finally {
          awaiting = false;
        }
      }

      @Override
      public void close() throws IOException {
        events.add("close " + name + (reading ? " while reading" : "") + (awaiting ? " while awaiting" : ""));
        closed.countDown();
        try {
          close.run();
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e);
        }
      }
    }
  }

  /** A latch the test opens at the end in any case, so that no fake waits past the test. */
  CountDownLatch latch() {
    CountDownLatch l = new CountDownLatch(1);
    toOpen.add(l);
    return l;
  }

  static void await(CountDownLatch l) throws InterruptedException {
    l.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
  }

  /** A step that throws {@code failure} once {@code started} is open. */
  static Step failOnce(CountDownLatch started, Exception failure) {
    return () -> {
      await(started);
      throw failure;
    };
  }

  /** A gate that logs "held" and "released". */
  ConsistencyGate gate() {
    return new ConsistencyGate() {
      @Override
      public String name() {
        return "app";
      }

      @Override
      public Hold acquire(Duration timeout) {
        events.add("held");
        return () -> events.add("released");
      }
    };
  }

  BackupPlan.Builder plan(Fake... datasets) {
    return BackupPlan.builder("failing").repository(repo).gate(gate()).parallelism(4)
        .datasets(Arrays.asList(datasets));
  }

  /**
   * Runs {@code plan} with a listener that opens {@code onStatus} when {@code dataset} has a status
   * line; the engine stays open (its threads uninterrupted) until the test ends.
   */
  BackupReport run(BackupPlan plan, String dataset, CountDownLatch onStatus) {
    engine = BackupEngine.builder().listener(new BackupListener() {
      @Override
      public void status(String p, String d, String message) {
        events.add("status " + d + ": " + message);
        if (d.equals(dataset)) {
          onStatus.countDown();
        }
      }
    }).build();
    return engine.backup(plan);
  }

  long count(String event) {
    return events.stream().filter(event::equals).count();
  }

  static List<String> messages(Throwable[] suppressed) {
    List<String> out = new ArrayList<>();
    for (Throwable t : suppressed) {
      out.add(String.valueOf(t.getMessage()));
    }
    return out;
  }

  @BeforeEach
  void setUp() {
    repo = MemoryRepos.create(new InMemoryBlobStore());
  }

  @AfterEach
  void openEverything() {
    toOpen.forEach(CountDownLatch::countDown);
    if (engine != null) {
      engine.close(); // after the latches: a take still running ends by itself, not by interruption
    }
  }

  @Test
  void aTakeThatReturnsAfterAnotherDatasetFailedIsWaitedForByTheGatesAndThenClosed() throws Exception {
    Fake failing = new Fake("failing", false);
    Fake slow = new Fake("slow", false);
    CountDownLatch slowMayReturn = latch();
    failing.take = failOnce(slow.takeStarted, new IOException("disk gone"));
    slow.take = () -> await(slowMayReturn);

    BackupReport report = run(plan(failing, slow).build(), "slow", slowMayReturn);

    assertThat(report.succeeded()).isFalse();
    assertThat(report.failure().orElseThrow().subject()).isEqualTo("failing");
    assertThat(events).containsSubsequence("held", "take failing failed", "take slow returned", "released",
        "close slow");
    assertThat(count("released")).isEqualTo(1);
    assertThat(count("close slow")).isEqualTo(1);
  }

  @Test
  void theFirstFailureIsReportedWithTheLaterOnesAttached() throws Exception {
    Fake first = new Fake("first", false);
    Fake later = new Fake("later", false);
    CountDownLatch laterMayFail = latch();
    first.take = failOnce(later.takeStarted, new IOException("disk gone"));
    later.take = () -> {
      await(laterMayFail);
      throw new IOException("volume detached");
    };

    BackupReport report = run(plan(first, later).build(), "later", laterMayFail);

    Failure failure = report.failure().orElseThrow();
    assertThat(failure.subject()).isEqualTo("first");
    assertThat(failure.message()).contains("disk gone");
    assertThat(messages(failure.cause().getSuppressed())).anySatisfy(m -> assertThat(m).contains("volume detached"));
    assertThat(count("released")).isEqualTo(1);
  }

  @Test
  void aSnapshotIsClosedOnlyAfterItsReadAndItsAwaitCompletionHaveStopped() throws Exception {
    Fake broken = new Fake("broken", true);
    Fake reader = new Fake("reader", true);
    Fake pending = new Fake("pending", false);
    CountDownLatch bothStarted = new CountDownLatch(2);
    CountDownLatch mayEnd = latch();
    broken.read = failOnce(bothStarted, new IllegalStateException("bad sector"));
    reader.read = () -> { // each ends only when the engine interrupts it
      bothStarted.countDown();
      await(mayEnd);
    };
    pending.await = () -> {
      bothStarted.countDown();
      await(mayEnd);
    };

    BackupReport report = run(plan(broken, reader, pending).build(), "none", latch());

    assertThat(report.failure().orElseThrow().message()).contains("bad sector");
    assertThat(events).containsSubsequence("released", "close reader");
    assertThat(events).doesNotContain("close reader while reading", "close pending while awaiting");
    assertThat(count("close reader")).isEqualTo(1);
    assertThat(count("close pending")).isEqualTo(1);
    assertThat(count("close broken")).isEqualTo(1);
  }

  @Test
  void aCloseThatThrowsDoesNotHideTheFailureAndIsReported() throws Exception {
    Fake failing = new Fake("failing", false);
    Fake stuck = new Fake("stuck", false);
    failing.take = failOnce(stuck.taken, new IOException("disk gone"));
    stuck.close = () -> {
      throw new IOException("cannot delete subvolume");
    };

    BackupReport report = run(plan(failing, stuck).build(), "none", latch());

    Failure failure = report.failure().orElseThrow();
    assertThat(failure.subject()).isEqualTo("failing");
    assertThat(failure.message()).contains("disk gone");
    assertThat(messages(failure.cause().getSuppressed()))
        .anySatisfy(m -> assertThat(m).contains("cannot delete subvolume"));
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("stuck").contains("cannot delete subvolume"));
  }

  @Test
  void aCloseThatThrowsAfterASuccessIsAWarningOfTheReport() throws Exception {
    Fake stuck = new Fake("stuck", true);
    stuck.close = () -> {
      throw new IOException("cannot delete subvolume");
    };

    BackupReport report = run(plan(stuck).build(), "none", latch());

    assertThat(report.succeeded()).isTrue();
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("stuck").contains("cannot delete subvolume"));
  }

  @Test
  void aTakeStillRunningAtTheMaximumHoldDoesNotKeepTheGatesAndIsClosedWhenItReturns() throws Exception {
    Fake failing = new Fake("failing", false);
    Fake hung = new Fake("hung", false);
    CountDownLatch hungMayReturn = latch();
    failing.take = failOnce(hung.takeStarted, new IOException("disk gone"));
    hung.take = () -> await(hungMayReturn);

    BackupReport report = run(plan(failing, hung).maxHold(Duration.ofMillis(50)).build(), "none", latch());

    assertThat(report.failure().orElseThrow().subject()).isEqualTo("failing");
    assertThat(events).containsSubsequence("held", "released").doesNotContain("take hung returned");
    hungMayReturn.countDown();
    assertThat(hung.closed.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the late snapshot is closed").isTrue();
    assertThat(count("close hung")).isEqualTo(1);
    assertThat(count("released")).isEqualTo(1);
  }
}
