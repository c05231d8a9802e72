package io.holdfast.cli;

import io.holdfast.BackupListener;
import io.holdfast.Phase;
import io.holdfast.PhaseChange;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * One line on a terminal, redrawn in place with {@code \r}: elapsed time, phase, files and bytes so
 * far, and the rate, then the latest dataset status line if any. Erased when the run ends, so the summary starts on a clean line. Thread-safe.
 */
final class ProgressBar implements BackupListener {
  private final PrintStream err;
  private final long startNanos = System.nanoTime();
  private Phase phase = Phase.INITIALIZING;
  private long files;
  private long bytes;
  private int width;
  private String status;

  ProgressBar(PrintStream err) {
    this.err = err;
  }

  @Override
  public synchronized void phase(String plan, PhaseChange change) {
    phase = change.phase();
    if (phase == Phase.SUCCEEDED || phase == Phase.FAILED) {
      erase();
    } else {
      draw();
    }
  }

  @Override
  public synchronized void progress(String plan, long files, long bytes) {
    this.files = files;
    this.bytes = bytes;
    if (phase != Phase.SUCCEEDED && phase != Phase.FAILED) {
      draw();
    }
  }

  /** The latest status line of a dataset (EBS snapshots 40% done), shown after the counts. */
  @Override
  public synchronized void status(String plan, String dataset, String message) {
    String s = dataset + ": " + message;
    status = s.length() > 100 ? s.substring(0, 99) + "…" : s;
    if (phase != Phase.SUCCEEDED && phase != Phase.FAILED) {
      draw();
    }
  }

  /** The line as drawn now. */
  synchronized String line() {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    return String.format(Locale.ROOT, "[%s] %s %d files, %s, %s/s", HumanUnits.duration(elapsed), label(phase),
        files, HumanUnits.bytes(bytes), HumanUnits.bytes((long) (bytes / seconds)))
        + (status == null ? "" : " | " + status);
  }

  private static String label(Phase p) {
    return switch (p) {
      case INITIALIZING -> "preparing:";
      case INITIALIZED -> "holding the application:";
      case RUNNING -> "saving:";
      default -> p.name().toLowerCase(Locale.ROOT) + ":";
    };
  }

  private void draw() {
    String s = line();
    err.print("\r" + s + " ".repeat(Math.max(0, width - s.length())));
    err.flush();
    width = s.length();
  }

  private void erase() {
    if (width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
      width = 0;
    }
  }
}
