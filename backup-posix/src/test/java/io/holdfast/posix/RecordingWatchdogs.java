package io.holdfast.posix;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link UndoWatchdog.Launcher} for tests: records each watchdog it is asked to start ("UNDO
 * within DEADLINE") and counts cancellations; never starts a process, so no real undo runs.
 * Thread-safe.
 */
final class RecordingWatchdogs implements UndoWatchdog.Launcher {
  final List<String> started = new CopyOnWriteArrayList<>();
  final AtomicInteger cancelled = new AtomicInteger();

  @Override
  public UndoWatchdog start(String what, List<String> undo, Duration deadline) {
    started.add(String.join(" ", undo) + " within " + deadline);
    return new UndoWatchdog() {
      @Override
      public boolean finished() {
        return false;
      }

      @Override
      public void cancel() {
        cancelled.incrementAndGet();
      }
    };
  }
}
