package io.holdfast;

import io.holdfast.internal.prune.Pruner;
import io.holdfast.internal.repo.RepositoryLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One prune: open, take the exclusive lock (retrying within the plan's lock wait), prune, unlock. */
final class PruneRun {
  private static final Logger LOG = LoggerFactory.getLogger(PruneRun.class);
  /** How often a waiting prune looks at the locks again. */
  static final Duration RETRY_EVERY = Duration.ofSeconds(5);

  /** Waits between lock attempts; tests pass one that does not sleep. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final PrunePlan plan;
  private final Clock clock;
  private final RunLog log;
  private final Sleeper sleeper;

  PruneRun(PrunePlan plan, Clock clock, List<BackupListener> listeners, Sleeper sleeper) {
    this.plan = plan;
    this.clock = clock;
    this.log = new RunLog("prune", clock, listeners);
    this.sleeper = sleeper;
  }

  PruneRun(PrunePlan plan, Clock clock, List<BackupListener> listeners) {
    this(plan, clock, listeners, d -> Thread.sleep(d.toMillis()));
  }

  PruneReport run() {
    long start = System.nanoTime();
    log.enter(Phase.INITIALIZING);
    io.holdfast.internal.repo.Repository repo = null;
    RepositoryLock lock = null;
    try {
      repo = BackupRun.open(plan.repository(), clock, false);
      lock = lock(repo);
      log.enter(Phase.INITIALIZED);
      log.enter(Phase.RUNNING);
      Pruner.Outcome o = new Pruner(repo, lock, plan.maxUnusedPercent(), log.progress()).run(plan.dryRun());
      log.enter(Phase.SUCCEEDED);
      return new PruneReport(plan.dryRun(), o.snapshots(), o.blobsKept(), o.blobsRemoved(), o.blobsRepacked(),
          o.packsBefore(), o.packsDeleted(), o.packsRepacked(), o.packsWritten(), o.unindexedPacksDeleted(),
          o.missingPacksDropped(), o.indexFilesRemoved(), o.indexFilesWritten(), o.bytesBefore(), o.bytesFreed(),
          o.unusedBytesAfter(), Duration.ofNanos(System.nanoTime() - start), Optional.empty());
    } catch (RuntimeException e) {
      Failure f = Failure.of(log.phase(), null, e);
      LOG.error("prune failed: {}", f.message());
      log.enter(Phase.FAILED);
      return new PruneReport(plan.dryRun(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          Duration.ofNanos(System.nanoTime() - start), Optional.of(f));
    } finally {
      BackupRun.close(lock, repo);
    }
  }

  /** The exclusive lock, retried every few seconds while another lock is live, until the plan's lock wait is over. */
  private RepositoryLock lock(io.holdfast.internal.repo.Repository repo) {
    Instant deadline = clock.instant().plus(plan.lockWait());
    while (true) {
      try {
        return RepositoryLock.acquire(repo, true);
      } catch (LockConflictException e) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          throw new LockConflictException("cannot prune: " + e.getMessage() + ". Prune needs the repository to itself:"
              + " run it when that process has finished" + (plan.lockWait().isZero() ? ", or give it a lock wait"
                  : " (waited " + plan.lockWait().toSeconds() + " s)"));
        }
        LOG.info("waiting for the repository lock: {}", e.getMessage());
        try {
          sleeper.sleep(left.compareTo(RETRY_EVERY) < 0 ? left : RETRY_EVERY);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new HoldfastException("interrupted while waiting for the repository lock", ie);
        }
      }
    }
  }
}
