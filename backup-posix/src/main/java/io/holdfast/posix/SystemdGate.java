package io.holdfast.posix;

import io.holdfast.spi.ConsistencyGate;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds an application by stopping its systemd unit: {@code systemctl stop UNIT}, then
 * {@code systemctl is-active UNIT} must say {@code inactive} (a unit that ends up {@code failed} or
 * still {@code deactivating} did not stop cleanly). Release is {@code systemctl start UNIT}, then
 * {@code is-active} must say {@code active}.
 *
 * <p>When the acquire fails after the stop was tried, the unit is started again before the error
 * is thrown, so it is not left stopped; a failure of that start is suppressed in the error. A failed start on release is an {@link IOException} naming
 * the unit and what systemctl said; a second release does nothing.
 *
 * <p>As {@link FsfreezeGate} does, the gate starts a detached watchdog before the stop: it starts
 * the unit again should this JVM die or the hold outlast {@code maxHold}. The watchdog is cancelled
 * once a start succeeded; after a failed start it stays armed, so the unit is not left down.
 *
 * <p>Immutable and thread-safe.
 */
public final class SystemdGate implements ConsistencyGate {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdGate.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /** How long after the acquire the watchdog starts the unit again at the latest, unless told otherwise. */
  public static final Duration DEFAULT_MAX_HOLD = Duration.ofMinutes(5);

  private final String unit;
  private final Duration maxHold;
  private final CommandRunner runner;
  private final UndoWatchdog.Launcher watchdogs;

  public SystemdGate(String unit) {
    this(unit, DEFAULT_MAX_HOLD);
  }

  /**
   * @param maxHold when, after the acquire began, the watchdog starts the unit again at the latest,
   *     released or not; keep it above the plan's maximum hold
   */
  public SystemdGate(String unit, Duration maxHold) {
    this(unit, maxHold, CommandRunner.system(), UndoWatchdog.DETACHED);
  }

  /**
   * With commands through {@code runner}. The watchdog still runs the real {@code systemctl start}
   * should this JVM die, so tests that must not touch the host's units use a fake runner AND must
   * never acquire this gate.
   */
  public SystemdGate(String unit, Duration maxHold, CommandRunner runner) {
    this(unit, maxHold, runner, UndoWatchdog.DETACHED);
  }

  /** For tests: commands through {@code runner}, watchdogs from {@code watchdogs}. */
  SystemdGate(String unit, Duration maxHold, CommandRunner runner, UndoWatchdog.Launcher watchdogs) {
    this.unit = Objects.requireNonNull(unit, "unit");
    this.maxHold = Objects.requireNonNull(maxHold, "maxHold");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.watchdogs = Objects.requireNonNull(watchdogs, "watchdogs");
    if (maxHold.isNegative() || maxHold.isZero()) {
      throw new IllegalArgumentException("maxHold must be positive: " + maxHold);
    }
    if (unit.isBlank() || unit.startsWith("-")) {
      throw new IllegalArgumentException("not a unit name: '" + unit + "'");
    }
  }

  @Override
  public String name() {
    return "systemd " + unit;
  }

  @Override
  public Hold acquire(Duration timeout) throws Exception {
    // The stop outlives the JVM: a detached watchdog starts the unit again should this process die
    // or the hold outlast maxHold. Without a watchdog there is no stop.
    UndoWatchdog watchdog = watchdogs.start(unit, List.of("systemctl", "start", unit), maxHold);
    FailedHold.undoing(() -> {
      runner.check(List.of("systemctl", "stop", unit), timeout);
      String state = state(timeout);
      if (!state.equals("inactive")) {
        throw new IOException("systemctl stop " + unit + " left it " + (state.isEmpty() ? "in no state" : state)
            + ", not inactive");
      }
    }, () -> {
      start(); // if it fails, the watchdog stays armed: it starts the unit at the maximum hold
      watchdog.cancel();
    });
    LOG.info("stopped {} (a watchdog starts it within {} should this process die)", unit, maxHold);
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        boolean fired = watchdog.finished();
        start(); // if it fails, the watchdog stays armed and starts the unit at the maximum hold
        watchdog.cancel();
        if (fired) {
          LOG.warn("{} was started again by its watchdog before release: the hold outlasted {}", unit, maxHold);
        }
      }
    };
  }

  private void start() throws IOException {
    CommandRunner.Result r = runner.run(List.of("systemctl", "start", unit), START_TIMEOUT);
    if (!r.ok()) {
      throw new IOException("could not start " + unit + ": systemctl start exited " + r.exitCode()
          + (r.output().isBlank() ? "" : ": " + r.output().strip()));
    }
    String state = state(START_TIMEOUT);
    if (!state.equals("active")) {
      throw new IOException("started " + unit + " but it is " + (state.isEmpty() ? "in no state" : state)
          + ", not active");
    }
    LOG.info("started {}", unit);
  }

  /** What {@code is-active} prints; its exit code only repeats it (0 active, 3 otherwise). */
  private String state(Duration timeout) throws IOException {
    return runner.run(List.of("systemctl", "is-active", unit), timeout).output().strip();
  }
}
