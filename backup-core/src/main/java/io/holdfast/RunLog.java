package io.holdfast;

import io.holdfast.internal.Progress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phases, warnings and progress of one run, told to the listeners as they happen. A
 * listener that throws is logged and otherwise ignored: it cannot break a run.
 */
final class RunLog {
  private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);

  private final String name;
  private final Clock clock;
  private final List<BackupListener> listeners;
  private final List<PhaseChange> phases = new ArrayList<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private volatile Phase phase;

  RunLog(String name, Clock clock, List<BackupListener> listeners) {
    this.name = name;
    this.clock = clock;
    this.listeners = listeners;
  }

  void enter(Phase p) {
    phase = p;
    PhaseChange change = new PhaseChange(p, clock.instant());
    synchronized (phases) {
      phases.add(change);
    }
    tell(p.toString(), false, l -> l.phase(name, change));
  }

  void warn(String message) {
    warnings.add(message);
    LOG.warn("{}: {}", name, message);
    tell("a warning", false, l -> l.warning(name, message));
  }

  /** Files and bytes done so far; a listener failing on these (a few a second) is logged at debug only. */
  void progress(long files, long bytes) {
    tell("progress", true, l -> l.progress(name, files, bytes));
  }

  /** A progress line of {@code dataset} that counts no files or bytes (logged at info, not kept). */
  void status(String dataset, String line) {
    LOG.info("{}: {}: {}", name, dataset, line);
    tell("a status line", false, l -> l.status(name, dataset, line));
  }

  /** Calls {@code event} on every listener; one that throws is logged and the others still hear it. */
  private void tell(String what, boolean often, Consumer<BackupListener> event) {
    for (BackupListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        if (often) {
          LOG.debug("listener failed on {}: {}", what, e.toString());
        } else {
          LOG.warn("listener failed on {}: {}", what, e.toString());
        }
      }
    }
  }

  Phase phase() {
    return phase;
  }

  List<PhaseChange> phases() {
    synchronized (phases) {
      return List.copyOf(phases);
    }
  }

  List<String> warnings() {
    return List.copyOf(warnings);
  }

  List<BackupListener> listeners() {
    return listeners;
  }

  /**
   * Internal work's progress, told to the listeners: each step as a {@link
   * BackupListener#status status} line of the {@code repository}, what is done as {@link
   * BackupListener#progress progress} (packs as files).
   */
  Progress progress() {
    return new Progress() {
      @Override
      public void step(String message) {
        LOG.debug("{}: {}", name, message);
        tell("a status line", true, l -> l.status(name, "repository", message));
      }

      @Override
      public void done(long items, long bytes) {
        progress(items, bytes);
      }
    };
  }
}
