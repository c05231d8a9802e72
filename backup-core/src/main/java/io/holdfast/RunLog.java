package io.holdfast;

import io.holdfast.internal.Progress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    for (BackupListener l : listeners) {
      try {
        l.phase(name, change);
      } catch (RuntimeException e) {
        LOG.warn("listener failed on {}: {}", p, e.toString());
      }
    }
  }

  void warn(String message) {
    warnings.add(message);
    LOG.warn("{}: {}", name, message);
    for (BackupListener l : listeners) {
      try {
        l.warning(name, message);
      } catch (RuntimeException e) {
        LOG.warn("listener failed on a warning: {}", e.toString());
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
        for (BackupListener l : listeners) {
          try {
            l.status(name, "repository", message);
          } catch (RuntimeException e) {
            LOG.debug("listener failed on a status: {}", e.toString());
          }
        }
      }

      @Override
      public void done(long items, long bytes) {
        for (BackupListener l : listeners) {
          try {
            l.progress(name, items, bytes);
          } catch (RuntimeException e) {
            LOG.debug("listener failed on progress: {}", e.toString());
          }
        }
      }
    };
  }
}
