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
 * is thrown, so it is not left stopped. A failed start on release is an {@link IOException} naming
 * the unit and what systemctl said; a second release does nothing.
 *
 * <p>Unlike {@link FsfreezeGate} this gate has no watchdog yet: a JVM killed while holding leaves
 * the unit stopped (a stopped service blocks nobody, but stays down).
 *
 * <p>Immutable and thread-safe.
 */
public final class SystemdGate implements ConsistencyGate {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdGate.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final String unit;
  private final CommandRunner runner;

  public SystemdGate(String unit) {
    this(unit, CommandRunner.system());
  }

  public SystemdGate(String unit, CommandRunner runner) {
    this.unit = Objects.requireNonNull(unit, "unit");
    this.runner = Objects.requireNonNull(runner, "runner");
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
    try {
      runner.check(List.of("systemctl", "stop", unit), timeout);
      String state = state(timeout);
      if (!state.equals("inactive")) {
        throw new IOException("systemctl stop " + unit + " left it " + (state.isEmpty() ? "in no state" : state)
            + ", not inactive");
      }
    } catch (IOException | RuntimeException e) {
      try {
        start();
      } catch (IOException | RuntimeException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
    LOG.info("stopped {}", unit);
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        start();
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
