package io.holdfast;

import io.holdfast.internal.checker.Verifier;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.SnapshotFile;
import io.holdfast.internal.fs.SnapshotFileSystem;
import io.holdfast.spi.SnapshotValidator;
import java.nio.file.FileSystem;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      repo = BackupRun.open(plan.repository(), clock, false); // only a backup or import creates one
      lock = RepositoryLock.acquire(repo, false);
      log.enter(Phase.INITIALIZED);
      log.enter(Phase.RUNNING);
      Random random = plan.seed().isPresent() ? new Random(plan.seed().getAsLong()) : new Random();
      Verifier.Result r = new Verifier(repo, plan.parallelism(), log.progress()).verify(plan.readData(), random);
      var s = r.structure();
      List<VerifyReport.Finding> findings = validate(repo);
      log.enter(Phase.SUCCEEDED);
      VerifyReport report = new VerifyReport(log.phases(), Duration.ofNanos(System.nanoTime() - start),
          plan.readData().toString(), s.snapshots(), s.trees(), s.dataBlobs(), s.packs(), s.unindexedPacks(),
          r.packsRead(), r.bytesRead(), s.problems(), r.dataProblems(), r.damage(), findings, log.warnings(),
          Optional.empty());
      if (!report.ok()) {
        LOG.info("verify found {} problems; {} damaged packs; {} validator findings", report.problems().size(),
            r.damage().packs().size(), findings.size());
      }
      return report;
    } catch (Exception e) {
      Failure f = Failure.of(log.phase(), "repository", e);
      LOG.error("verify failed in {}: {}", log.phase(), f.message());
      log.enter(Phase.FAILED);
      return new VerifyReport(log.phases(), Duration.ofNanos(System.nanoTime() - start), plan.readData().toString(),
          0, 0, 0, 0, List.of(), 0, 0, List.of(), List.of(), VerifyReport.Damage.NONE, List.of(), log.warnings(),
          Optional.of(f));
    } finally {
      BackupRun.close(lock, repo);
    }
  }

  /** Runs the plan's host validators on the snapshots it selects, each on its own read-only view. */
  private List<VerifyReport.Finding> validate(io.holdfast.internal.repo.Repository repo) {
    if (plan.validators().isEmpty()) {
      return List.of();
    }
    List<VerifyReport.Finding> out = new ArrayList<>();
    for (io.holdfast.internal.repo.Repository.Snapshot snap : validated(repo)) {
      List<String> tags = snap.file().tags() == null ? List.of() : snap.file().tags();
      SnapshotValidator.Target target = new SnapshotValidator.Target(snap.id().hex(), snap.time().toInstant(),
          SnapshotFile.planOf(tags), tags);
      for (SnapshotValidator v : plan.validators()) {
        try (FileSystem view = SnapshotFileSystem.open(repo, snap, null)) {
          for (SnapshotValidator.Finding f : v.validate(target, view)) {
            out.add(new VerifyReport.Finding(v.name(), target.id(), f.path(), f.message()));
          }
        } catch (Exception e) {
          // a validator that cannot finish has not shown the snapshot sound
          out.add(new VerifyReport.Finding(v.name(), target.id(), "/",
              "validator failed: " + (e.getMessage() == null ? e.toString() : e.getMessage())));
        }
      }
    }
    out.forEach(f -> LOG.info("{}", f));
    return out;
  }

  private List<io.holdfast.internal.repo.Repository.Snapshot> validated(io.holdfast.internal.repo.Repository repo) {
    List<io.holdfast.internal.repo.Repository.Snapshot> all = repo.snapshots();
    if (plan.validatedSnapshots() == VerifyPlan.ValidatedSnapshots.ALL) {
      return all;
    }
    Map<String, io.holdfast.internal.repo.Repository.Snapshot> latest = new LinkedHashMap<>();
    for (io.holdfast.internal.repo.Repository.Snapshot s : all) {
      String group = SnapshotFile.planOf(s.file().tags()).orElse("");
      latest.merge(group, s, (a, b) -> b.time().isAfter(a.time()) ? b : a);
    }
    return List.copyOf(latest.values());
  }
}
