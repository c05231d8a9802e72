package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.spi.ConsistencyGate;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemdGateTest {
  private static final Duration T = Duration.ofSeconds(5);

  /** A fake systemd: is-active says "inactive" after a stop and "active" after a start. */
  private static RecordingCommandRunner systemd() {
    String[] state = {"active"};
    return new RecordingCommandRunner()
        .answer(List.of("systemctl", "stop"), c -> {
          state[0] = "inactive";
          return new CommandRunner.Result(0, "");
        })
        .answer(List.of("systemctl", "start"), c -> {
          state[0] = "active";
          return new CommandRunner.Result(0, "");
        })
        .answer(List.of("systemctl", "is-active"), c -> new CommandRunner.Result(
            state[0].equals("active") ? 0 : 3, state[0] + "\n"));
  }

  @Test
  void acquireStopsAndChecksTheUnitAndReleaseStartsItOnce() throws Exception {
    RecordingCommandRunner runner = systemd();
    ConsistencyGate.Hold hold = gate("postgresql.service", runner).acquire(T);
    assertThat(runner.lines()).containsExactly("systemctl stop postgresql.service",
        "systemctl is-active postgresql.service");
    hold.release();
    hold.release();
    assertThat(runner.lines()).containsExactly("systemctl stop postgresql.service",
        "systemctl is-active postgresql.service", "systemctl start postgresql.service",
        "systemctl is-active postgresql.service");
  }

  @Test
  void aUnitThatIsStillActiveAfterTheStopFailsTheAcquireAndIsStartedAgain() {
    RecordingCommandRunner r = new RecordingCommandRunner().answer(List.of("systemctl", "is-active"), 0, "active\n");
    assertThatThrownBy(() -> gate("app", r).acquire(T))
        .isInstanceOf(IOException.class)
        .hasMessage("systemctl stop app left it active, not inactive");
    assertThat(r.lines()).containsExactly("systemctl stop app", "systemctl is-active app", "systemctl start app",
        "systemctl is-active app");
  }

  @Test
  void aUnitThatFailedWhileStoppingIsNotHeld() {
    RecordingCommandRunner runner = new RecordingCommandRunner()
        .answer(List.of("systemctl", "is-active"), c -> new CommandRunner.Result(3, "failed\n"));
    assertThatThrownBy(() -> gate("app", runner).acquire(T))
        .hasMessage("systemctl stop app left it failed, not inactive")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .satisfies(s -> assertThat(s).hasMessage("started app but it is failed, not active")));
    assertThat(runner.lines()).containsExactly("systemctl stop app", "systemctl is-active app", "systemctl start app",
        "systemctl is-active app");
    assertThat(cancelled).as("the start failed: the watchdog stays armed").hasValue(0);
  }

  @Test
  void aFailingStopFailsTheAcquireAndStartsTheUnitAgain() {
    RecordingCommandRunner r = new RecordingCommandRunner()
        .answer(List.of("systemctl", "stop"), 1, "Failed to stop app.service: Access denied\n")
        .answer(List.of("systemctl", "is-active"), 0, "active\n");
    assertThatThrownBy(() -> gate("app.service", r).acquire(T))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("systemctl stop app.service exited 1: Failed to stop app.service: Access denied");
    assertThat(r.lines()).containsExactly("systemctl stop app.service", "systemctl start app.service",
        "systemctl is-active app.service");
    assertThat(cancelled).as("the unit is up again: no watchdog needed").hasValue(1);
  }

  @Test
  void aStopInterruptedHalfWayStillStartsTheUnitUninterruptedAndKeepsTheInterrupt() {
    List<String> starts = new java.util.concurrent.CopyOnWriteArrayList<>();
    RecordingCommandRunner runner = new RecordingCommandRunner()
        .answer(List.of("systemctl", "stop"), RecordingCommandRunner.interrupted("systemctl stop app interrupted"))
        .answer(List.of("systemctl", "start"), RecordingCommandRunner.noticingInterrupts(starts))
        .answer(List.of("systemctl", "is-active"), 0, "active\n");
    try {
      assertThatThrownBy(() -> gate("app", runner).acquire(T)).hasMessage("systemctl stop app interrupted")
          .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(starts).containsExactly("ran");
    assertThat(cancelled).as("the unit is up again: no watchdog needed").hasValue(1);
  }

  @Test
  void aFailedStartOnReleaseNamesTheUnitAndWhatSystemctlSaid() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner()
        .answer(List.of("systemctl", "start"), 1, "Job for app.service failed because the control process exited\n")
        .answer(List.of("systemctl", "is-active"), 3, "inactive\n");
    ConsistencyGate.Hold hold = gate("app.service", runner).acquire(T);
    assertThatThrownBy(hold::release)
        .isInstanceOf(IOException.class)
        .hasMessage("could not start app.service: systemctl start exited 1: "
            + "Job for app.service failed because the control process exited");
    hold.release();
    assertThat(runner.lines()).containsExactly("systemctl stop app.service", "systemctl is-active app.service",
        "systemctl start app.service");
    assertThat(cancelled).as("the watchdog stays armed to start the unit later").hasValue(0);
  }

  @Test
  void aStartThatLeavesTheUnitDownFailsTheRelease() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner()
        .answer(List.of("systemctl", "is-active"), 3, "inactive\n");
    ConsistencyGate.Hold hold = gate("app", runner).acquire(T);
    assertThatThrownBy(hold::release).hasMessage("started app but it is inactive, not active");
  }

  @Test
  void optionLikeUnitNamesAreRefused() {
    assertThatThrownBy(() -> new SystemdGate("--all")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SystemdGate(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  /** Watchdogs started by the gates under test: recorded, never real (no real systemctl start). */
  private final RecordingWatchdogs fakeWatchdogs = new RecordingWatchdogs();
  private final java.util.List<String> watchdogs = fakeWatchdogs.started;
  private final java.util.concurrent.atomic.AtomicInteger cancelled = fakeWatchdogs.cancelled;

  private SystemdGate gate(String unit, CommandRunner runner) {
    return new SystemdGate(unit, Duration.ofMinutes(5), runner, fakeWatchdogs);
  }

  @Test
  void aWatchdogThatStartsTheUnitAgainIsArmedBeforeTheStopAndCancelledAfterTheStart() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner()
        .answer(java.util.List.of("systemctl", "is-active"), c -> new CommandRunner.Result(
            watchdogs.size() == 1 && cancelled.get() == 0 && !startedOnce ? 3 : 0,
            startedOnce ? "active\n" : "inactive\n"));
    ConsistencyGate.Hold hold = gate("db.service", runner).acquire(T);
    org.assertj.core.api.Assertions.assertThat(watchdogs).containsExactly("systemctl start db.service within PT5M");
    org.assertj.core.api.Assertions.assertThat(cancelled).hasValue(0);
    startedOnce = true;
    hold.release();
    org.assertj.core.api.Assertions.assertThat(cancelled).hasValue(1);
  }

  private volatile boolean startedOnce;
}
