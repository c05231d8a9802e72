package io.holdfast.posix;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process outside the JVM that runs an undo command ({@code fsfreeze -u}, {@code systemctl
 * start}) if this JVM dies, or when a deadline passes, unless it is cancelled first. What gates that
 * act outside the JVM start before they hold, so that a crash never leaves the application held.
 */
interface UndoWatchdog {
  /** True once the watchdog is gone: it ran its undo (or was cancelled). */
  boolean finished();

  /** Stops the watchdog without running its undo. */
  void cancel();

  /** Starts watchdogs; the seam through which tests keep real undo commands from running. */
  @FunctionalInterface
  interface Launcher {
    /**
     * Starts a watchdog that runs {@code undo} when this JVM is gone or {@code deadline} has passed.
     *
     * @param what what is held, for error messages
     * @throws IOException if it could not be started; the caller must then not hold
     */
    UndoWatchdog start(String what, List<String> undo, Duration deadline) throws IOException;
  }

  /** Watchdogs as detached shells ({@code setsid sh}) that poll for this JVM every 200 ms. */
  Launcher DETACHED = Detached::start;

  /** The detached shell watchdog. */
  final class Detached implements UndoWatchdog {
    private static final Duration TICK = Duration.ofMillis(200);
    /**
     * $1 the JVM's pid, $2 the deadline in ticks, then the undo command. Prints its own pid first
     * (so the JVM can kill it even if setsid had to fork), then detaches from the JVM's pipe. A
     * zombie JVM counts as gone.
     */
    private static final String SCRIPT = String.join("\n",
        "echo $$",
        "exec </dev/null >/dev/null 2>&1",
        "pid=$1; ticks=$2; shift 2",
        "while [ \"$ticks\" -gt 0 ]; do",
        "  stat=$(cat /proc/$pid/stat 2>/dev/null) || break",
        "  state=${stat##*\") \"}",
        "  [ \"${state%% *}\" = Z ] && break",
        "  sleep 0.2",
        "  ticks=$((ticks - 1))",
        "done",
        "exec \"$@\"");

    private final ProcessHandle handle;

    private Detached(ProcessHandle handle) {
      this.handle = handle;
    }

    static UndoWatchdog start(String what, List<String> undo, Duration deadline) throws IOException {
      long ticks = Math.max(1, (deadline.toMillis() + TICK.toMillis() - 1) / TICK.toMillis());
      List<String> command = new ArrayList<>(List.of("setsid", "sh", "-c", SCRIPT, "holdfast-undo-watchdog",
          Long.toString(ProcessHandle.current().pid()), Long.toString(ticks)));
      command.addAll(undo);
      Process p = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String line;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        line = r.readLine();
      } catch (IOException e) {
        // not knowing its pid, we could never cancel it: it must not live on to run its undo
        p.destroyForcibly();
        throw e;
      }
      Optional<ProcessHandle> handle;
      try {
        handle = line == null ? Optional.empty() : ProcessHandle.of(Long.parseLong(line.strip()));
      } catch (NumberFormatException e) {
        handle = Optional.empty();
      }
      if (handle.isEmpty() || !handle.get().isAlive()) {
        p.destroyForcibly();
        throw new IOException("could not start the undo watchdog for " + what + " (setsid sh); not holding");
      }
      return new Detached(handle.get());
    }

    @Override
    public boolean finished() {
      return !handle.isAlive();
    }

    @Override
    public void cancel() {
      handle.destroyForcibly();
    }

    long pid() {
      return handle.pid();
    }
  }
}
