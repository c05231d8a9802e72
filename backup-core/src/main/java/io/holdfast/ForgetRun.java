package io.holdfast;

import io.holdfast.internal.json.GoTime;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.SnapshotManifest;
import io.holdfast.spi.ExternalReferenceReleaser;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link ForgetPlan}: under the exclusive lock (a shared one for a dry run), judge
 * the snapshots, read what external references the removed and the remaining ones record, delete
 * the removed snapshot files (never a pack), then offer the references no remaining snapshot
 * records to the releasers. Used once, by one thread.
 */
final class ForgetRun {
  private static final Logger LOG = LoggerFactory.getLogger(ForgetRun.class);

  private final ForgetPlan plan;
  private final Clock clock;
  private final RunLog log;
  private String subject;

  ForgetRun(ForgetPlan plan, Clock clock, List<BackupListener> listeners) {
    this.plan = plan;
    this.clock = clock;
    this.log = new RunLog("forget" + plan.plan().map(p -> " " + p).orElse(""), clock, listeners);
  }

  ForgetReport run() {
    log.enter(Phase.INITIALIZING);
    List<RetentionDecision> kept = List.of();
    List<RetentionDecision> removed = List.of();
    List<String> deleted = new ArrayList<>();
    List<ForgetReport.Release> releases = new ArrayList<>();
    io.holdfast.internal.repo.Repository repo = null;
    RepositoryLock lock = null;
    try {
      subject = "repository";
      repo = BackupRun.open(plan.repository(), clock, false); // only a backup or import creates one
      lock = RepositoryLock.acquire(repo, !plan.dryRun());
      subject = null;
      List<io.holdfast.internal.repo.Repository.Snapshot> all = repo.snapshots();
      Map<String, io.holdfast.internal.repo.Repository.Snapshot> byId = new LinkedHashMap<>();
      List<SnapshotInfo> judged = new ArrayList<>();
      for (io.holdfast.internal.repo.Repository.Snapshot s : all) {
        byId.put(s.id().hex(), s);
        SnapshotInfo info = info(s);
        if (plan.plan().isEmpty() || info.tags().contains(io.holdfast.internal.repo.SnapshotFile.planTag(plan.plan().get()))) {
          judged.add(info);
        }
      }
      List<RetentionDecision> decisions = plan.policy().apply(judged, clock);
      kept = decisions.stream().filter(RetentionDecision::keep).toList();
      removed = decisions.stream().filter(d -> !d.keep()).toList();
      log.enter(Phase.INITIALIZED);

      // owned references per removed snapshot, and every value a snapshot that stays records
      Map<String, List<Map.Entry<String, String>>> removedRefs = new LinkedHashMap<>();
      Set<String> unreadable = new HashSet<>();
      Set<String> stillReferenced = new HashSet<>();
      boolean releasable = !plan.releasers().isEmpty() && !removed.isEmpty();
      if (releasable) {
        for (RetentionDecision d : removed) {
          try {
            removedRefs.put(d.snapshot().id(), references(repo, byId.get(d.snapshot().id())).stream()
                .filter(ref -> owner(ref.getKey(), ref.getValue()).isPresent()).toList());
          } catch (HoldfastException e) {
            unreadable.add(d.snapshot().id());
            log.warn("cannot read the manifest of forgotten snapshot " + d.snapshot().shortId() + " ("
                + e.getMessage() + "): the external data it references is not released");
          }
        }
        // every snapshot that stays counts, also those of other plans the filter left out
        Set<String> removedIds = new HashSet<>();
        removed.forEach(d -> removedIds.add(d.snapshot().id()));
        for (io.holdfast.internal.repo.Repository.Snapshot s : all) {
          if (removedIds.contains(s.id().hex())) {
            continue;
          }
          try {
            references(repo, s).forEach(ref -> stillReferenced.add(ref.getValue()));
          } catch (HoldfastException e) {
            // what it references cannot be known: releasing anything could delete data it needs
            log.warn("cannot read the manifest of kept snapshot " + s.id().shortHex() + " (" + e.getMessage()
                + "): no external reference is released");
            releasable = false;
            break;
          }
        }
      }

      log.enter(Phase.RUNNING);
      StorageException deleteFailure = null;
      if (!plan.dryRun()) {
        for (RetentionDecision d : removed) {
          String key = FileType.SNAPSHOT.key(io.holdfast.internal.repo.Id.parse(d.snapshot().id()));
          try {
            repo.store().delete(key);
          } catch (IOException e) {
            subject = "snapshot " + d.snapshot().shortId();
            deleteFailure = new StorageException("cannot delete " + key + ": " + e
                + "; the snapshots before it are forgotten, run forget again", e);
            break;
          }
          deleted.add(d.snapshot().id());
          LOG.info("forgot snapshot {} ({})", d.snapshot().shortId(), d.group());
        }
      }
      if (releasable) {
        Set<String> gone = new HashSet<>(deleted);
        if (plan.dryRun()) {
          removed.forEach(d -> gone.add(d.snapshot().id()));
        }
        // a removed snapshot whose file is still there (a failed delete) still needs its data
        removedRefs.forEach((id, refs) -> {
          if (!gone.contains(id)) {
            refs.forEach(ref -> stillReferenced.add(ref.getValue()));
          }
        });
        if (unreadable.stream().allMatch(gone::contains)) {
          Map<String, String> candidates = new LinkedHashMap<>(); // value -> key
          removedRefs.forEach((id, refs) -> {
            if (gone.contains(id)) {
              refs.stream().filter(ref -> !stillReferenced.contains(ref.getValue()))
                  .forEach(ref -> candidates.putIfAbsent(ref.getValue(), ref.getKey()));
            }
          });
          candidates.forEach((value, key) -> releases.add(release(key, value)));
        }
      }
      if (deleteFailure != null) {
        throw deleteFailure;
      }
      log.enter(Phase.SUCCEEDED);
      return new ForgetReport(plan.dryRun(), kept, removed, deleted, releases, log.phases(), log.warnings(),
          Optional.empty());
    } catch (RuntimeException e) {
      Failure f = Failure.of(log.phase(), subject, e);
      LOG.error("forget failed in {}{}: {}", log.phase(), subject == null ? "" : " (" + subject + ")", f.message());
      log.enter(Phase.FAILED);
      return new ForgetReport(plan.dryRun(), kept, removed, deleted, releases, log.phases(), log.warnings(),
          Optional.of(f));
    } finally {
      BackupRun.close(lock, repo);
    }
  }

  private ForgetReport.Release release(String key, String value) {
    ExternalReferenceReleaser r = owner(key, value).orElseThrow();
    if (plan.dryRun()) {
      return new ForgetReport.Release(key, value, ForgetReport.Outcome.WOULD_RELEASE, null);
    }
    try {
      r.release(key, value);
      LOG.info("released external reference {}={}", key, value);
      return new ForgetReport.Release(key, value, ForgetReport.Outcome.RELEASED, null);
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      log.warn("cannot release external reference " + key + "=" + value + ": " + why + "; it is left in place");
      return new ForgetReport.Release(key, value, ForgetReport.Outcome.FAILED, why);
    }
  }

  private Optional<ExternalReferenceReleaser> owner(String key, String value) {
    return plan.releasers().stream().filter(r -> r.owns(key, value)).findFirst();
  }

  /** Every external reference of every dataset in the snapshot's manifest; none without one. */
  private static List<Map.Entry<String, String>> references(io.holdfast.internal.repo.Repository repo,
      io.holdfast.internal.repo.Repository.Snapshot s) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    SnapshotManifest.read(repo, s).ifPresent(m -> m.datasets().forEach(d ->
        d.externalReferences().entrySet().stream().filter(e -> e.getValue() != null).forEach(out::add)));
    return out;
  }

  static SnapshotInfo info(io.holdfast.internal.repo.Repository.Snapshot s) {
    return new SnapshotInfo(s.id().hex(), GoTime.parse(s.file().time()), s.file().hostname(), s.file().paths(),
        s.file().tags() == null ? Set.of() : new HashSet<>(s.file().tags()));
  }
}
