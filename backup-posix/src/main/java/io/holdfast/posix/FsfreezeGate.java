package io.holdfast.posix;

import io.holdfast.spi.ConsistencyGate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Freezes a mounted filesystem with {@code fsfreeze -f MOUNT} (writers block in the kernel, the
 * filesystem is flushed and consistent on disk) and thaws it with {@code fsfreeze -u MOUNT}. Needs
 * root.
 *
 * <p>The freeze lives in the kernel, not in the JVM, so a JVM that dies while holding would leave
 * every writer of the filesystem blocked. Before freezing, the gate therefore starts a watchdog: a
 * detached shell ({@code setsid}, its own session, no terminal, outside the JVM's process group)
 * that thaws the filesystem as soon as the JVM's process is gone, or when the maximum hold has
 * passed since the acquire began, whichever comes first. A normal release thaws, then kills the
 * watchdog. If the watchdog cannot be started, nothing is frozen and the acquire fails. If the
 * freeze fails or times out, the gate thaws anyway (a freeze killed half-way may still take effect)
 * and fails with the freeze's error, the thaw's failure suppressed in it; a thaw that could not run
 * leaves the watchdog armed. The watchdog polls every 200 ms and runs {@code fsfreeze} itself, not
 * through the {@link CommandRunner}.
 *
 * <p>Do not freeze the filesystem that holds the JVM's temporary directory or its logs: the thaw
 * itself would block behind the freeze (only the watchdog's deadline would then end it).
 *
 * <p>Thread-safe; each {@link #acquire} gives an independent hold, released at most once.
 */
public final class FsfreezeGate implements ConsistencyGate {
  /** The maximum hold unless the constructor says otherwise. */
  public static final Duration DEFAULT_MAX_HOLD = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(FsfreezeGate.class);
  private final Path mountPoint;
  private final Duration maxHold;
  private final CommandRunner runner;
  private final UndoWatchdog.Launcher watchdogs;

  public FsfreezeGate(Path mountPoint) {
    this(mountPoint, DEFAULT_MAX_HOLD, CommandRunner.system());
  }

  public FsfreezeGate(Path mountPoint, CommandRunner runner) {
    this(mountPoint, DEFAULT_MAX_HOLD, runner);
  }

  /**
   * @param maxHold how long after the acquire begins the watchdog thaws the filesystem at the
   *     latest, released or not; keep it above the plan's maximum hold
   */
  public FsfreezeGate(Path mountPoint, Duration maxHold, CommandRunner runner) {
    this(mountPoint, maxHold, runner, UndoWatchdog.DETACHED);
  }

  FsfreezeGate(Path mountPoint, Duration maxHold, CommandRunner runner, UndoWatchdog.Launcher watchdogs) {
    this.watchdogs = Objects.requireNonNull(watchdogs, "watchdogs");
    this.mountPoint = Objects.requireNonNull(mountPoint, "mountPoint");
    this.maxHold = Objects.requireNonNull(maxHold, "maxHold");
    this.runner = Objects.requireNonNull(runner, "runner");
    if (maxHold.isNegative() || maxHold.isZero()) {
      throw new IllegalArgumentException("maxHold must be positive: " + maxHold);
    }
  }

  @Override
  public String name() {
    return "fsfreeze " + mountPoint;
  }

  @Override
  public Hold acquire(Duration timeout) throws Exception {
    List<String> thaw = List.of("fsfreeze", "-u", mountPoint.toString());
    long watchdogDeadline = System.nanoTime() + maxHold.toNanos();
    UndoWatchdog watchdog = watchdogs.start(mountPoint.toString(), thaw, maxHold);
    FailedHold.undoing(() -> runner.check(List.of("fsfreeze", "-f", mountPoint.toString()), timeout), () -> {
      // a freeze killed at its timeout may still take effect: thaw to be sure. A thaw that ran has
      // left the filesystem thawed whatever its exit (the kernel refuses to thaw only what is not
      // frozen); one that could not run leaves the watchdog armed, to thaw at the maximum hold
      CommandRunner.Result r = runner.run(thaw, timeout);
      watchdog.cancel();
      r.orThrow(thaw);
    });
    LOG.info("froze {} (a watchdog thaws it within {} should this process die)", mountPoint, maxHold);
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      CommandRunner.Result r = runner.run(thaw, Duration.ofSeconds(30));
      // past its deadline the watchdog has thawed, even if its process has not quite exited yet
      boolean watchdogDone = watchdog.finished() || System.nanoTime() - watchdogDeadline >= 0;
      watchdog.cancel();
      if (!r.ok()) {
        if (watchdogDone) {
          throw new IOException(mountPoint + " was thawed by its watchdog before release: the hold outlasted "
              + maxHold);
        }
        throw new IOException("fsfreeze -u " + mountPoint + " exited " + r.exitCode() + ": " + r.output().strip());
      }
      LOG.info("thawed {}", mountPoint);
    };
  }
}
