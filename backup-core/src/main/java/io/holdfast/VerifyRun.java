package io.holdfast;

import io.holdfast.internal.checker.Verifier;
import io.holdfast.internal.repo.RepositoryLock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of a {@link VerifyPlan}. Used once, by one thread. */
final class VerifyRun {
  private static final Logger LOG = LoggerFactory.getLogger(VerifyRun.class);

  private final VerifyPlan plan;
  private final Clock clock;
  private final RunLog log;

  VerifyRun(VerifyPlan plan, Clock clock, List<BackupListener> listeners) {
    this.plan = plan;
    this.clock = clock;
    this.log = new RunLog("verify", clock, listeners);
  }

  VerifyReport run() {
    long start = System.nanoTime();
    log.enter(Phase.INITIALIZING);
    io.holdfast.internal.repo.Repository repo = null;
    RepositoryLock lock = null;
    try {
      repo = BackupRun.open(plan.repository(), clock);
      lock = RepositoryLock.acquire(repo, false);
      log.enter(Phase.INITIALIZED);
      log.enter(Phase.RUNNING);
      Random random = plan.seed().isPresent() ? new Random(plan.seed().getAsLong()) : new Random();
      Verifier.Result r = new Verifier(repo, plan.parallelism()).verify(plan.readData(), random);
      var s = r.structure();
      log.enter(Phase.SUCCEEDED);
      VerifyReport report = new VerifyReport(log.phases(), Duration.ofNanos(System.nanoTime() - start),
          plan.readData().toString(), s.snapshots(), s.trees(), s.dataBlobs(), s.packs(), s.unindexedPacks(),
          r.packsRead(), r.bytesRead(), s.problems(), r.dataProblems(), r.damage(), log.warnings(), Optional.empty());
      if (!report.ok()) {
        LOG.info("verify found {} problems; {} damaged packs", report.problems().size(), r.damage().packs().size());
      }
      return report;
    } catch (Exception e) {
      Failure f = new Failure(log.phase(), "repository", e.getMessage() == null ? e.toString() : e.getMessage(), e);
      LOG.error("verify failed in {}: {}", log.phase(), f.message());
      log.enter(Phase.FAILED);
      return new VerifyReport(log.phases(), Duration.ofNanos(System.nanoTime() - start), plan.readData().toString(),
          0, 0, 0, 0, List.of(), 0, 0, List.of(), List.of(), VerifyReport.Damage.NONE, log.warnings(), Optional.of(f));
    } finally {
      if (lock != null) {
        lock.close();
      }
      if (repo != null) {
        repo.close();
      }
    }
  }
}
