package io.holdfast;

import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.SnapshotManifest;
import io.holdfast.internal.repo.Tree;
import io.holdfast.internal.restorer.RestoreStats;
import io.holdfast.internal.restorer.Restorer;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of a {@link RestorePlan}. Used once, by one thread. */
final class RestoreRun {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreRun.class);

  private final RestorePlan plan;
  private final Clock clock;
  private final List<BackupListener> listeners;
  private final ExecutorService executor;
  private final RunLog log;
  private String subject;

  RestoreRun(RestorePlan plan, Clock clock, List<BackupListener> listeners, ExecutorService executor) {
    this.plan = plan;
    this.clock = clock;
    this.listeners = listeners;
    this.executor = executor;
    this.log = new RunLog("restore", clock, listeners);
  }



  RestoreReport run() {
    long start = System.nanoTime();
    log.enter(Phase.INITIALIZING);
    String snapshotId = null;
    long files = 0;
    long bytes = 0;
    List<String> skipped = new ArrayList<>();
    Duration hold = Duration.ZERO;
    io.holdfast.internal.repo.Repository repo = null;
    RepositoryLock lock = null;
    HeldGates held = null;
    try {
      subject = "repository";
      repo = BackupRun.open(plan.repository(), clock, false); // only a backup or import creates one
      lock = RepositoryLock.acquire(repo, false);
      subject = null;
      io.holdfast.internal.repo.Repository.Snapshot snap = repo.findSnapshot(plan.snapshot(), plan.tags(), plan.asOf());
      snapshotId = snap.id().hex();
      Tree root = repo.loadTree(Id.parse(snap.file().tree()));
      checkVersion(repo, root, snap);
      Map<String, Path> targets = targets(root);
      Predicate<String> include = include();

      log.enter(Phase.INITIALIZED);
      long holdStart = System.nanoTime();
      subject = "gates";
      held = HeldGates.acquire("restore", plan.gates(), executor, log::warn);
      subject = null;
      try {
        log.enter(Phase.RUNNING);
        try (Restorer restorer = new Restorer(repo, plan.parallelism())) {
          for (Map.Entry<String, Path> t : targets.entrySet()) {
            subject = t.getKey();
            RestoreStats stats = restoreOne(restorer, snap, t.getKey(), t.getValue(), include);
            files += stats.files();
            bytes += stats.bytes();
            skipped.addAll(stats.skipped());
          }
          subject = null;
        }
      } finally {
        held.releaseAll();
        hold = plan.gates().isEmpty() ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - holdStart);
      }
      held.releaseFailures().forEach(f -> log.warn("ERROR: " + f)); // also logged at error level
      log.enter(Phase.SUCCEEDED);
      return new RestoreReport(Optional.of(snapshotId), log.phases(), files, bytes,
          Duration.ofNanos(System.nanoTime() - start), hold, List.copyOf(skipped), log.warnings(),
          Optional.empty());
    } catch (Exception e) {
      Failure f = Failure.of(log.phase(), subject, e);
      LOG.error("restore failed in {}{}: {}", log.phase(), subject == null ? "" : " (" + subject + ")", f.message());
      if (held != null) {
        held.releaseAll();
        // a failed restore's report also says the application may still be held
        held.releaseFailures().forEach(x -> log.warn("ERROR: " + x));
      }
      log.enter(Phase.FAILED);
      return new RestoreReport(Optional.ofNullable(snapshotId), log.phases(), files, bytes,
          Duration.ofNanos(System.nanoTime() - start), hold, List.copyOf(skipped), log.warnings(),
          Optional.of(f));
    } finally {
      BackupRun.close(lock, repo);
    }
  }

  private void checkVersion(io.holdfast.internal.repo.Repository repo, Tree root,
      io.holdfast.internal.repo.Repository.Snapshot snap) throws IOException {
    if (plan.appVersion() == null) {
      return;
    }
    String recorded = recordedAppVersion(repo, root);
    if (recorded != null && !recorded.equals(plan.appVersion())) {
      if (plan.allowVersionMismatch()) {
        log.warn("snapshot " + snap.id().shortHex() + " was made by application version " + recorded
            + ", restoring into version " + plan.appVersion() + " as allowed");
        return;
      }
      throw new HoldfastException("snapshot " + snap.id().shortHex() + " was made by application version "
          + recorded + " but the running version is " + plan.appVersion()
          + "; restore and upgrade are separate steps (allow with allowVersionMismatch)");
    }
  }

  /** The app version in the snapshot's manifest, or null when it has none (a restic snapshot). */
  static String recordedAppVersion(io.holdfast.internal.repo.Repository repo, Tree root) {
    return SnapshotManifest.read(repo, root, "the snapshot").map(SnapshotManifest::appVersion).orElse(null);
  }

  private Map<String, Path> targets(Tree root) {
    List<String> available = new ArrayList<>();
    for (Node n : root.nodes()) {
      if (n.isDir() && !n.name().equals(SnapshotManifest.DIR)) {
        available.add(n.name());
      }
    }
    List<String> wanted = plan.datasets().isEmpty() ? available : new ArrayList<>(plan.datasets());
    Map<String, Path> out = new LinkedHashMap<>();
    for (String name : wanted) {
      if (!available.contains(name)) {
        throw new HoldfastException("dataset '" + name + "' is not in the snapshot; it has " + available);
      }
      Path target = plan.targetRoot() != null ? plan.targetRoot().resolve(name) : plan.locations().get(name);
      if (target == null) {
        throw new HoldfastException("no original location known for dataset '" + name
            + "'; give a target root or its location");
      }
      out.put(name, target);
    }
    return out;
  }

  private Predicate<String> include() {
    if (plan.includes().isEmpty()) {
      return rel -> true;
    }
    List<PathMatcher> matchers = new ArrayList<>();
    for (String g : plan.includes()) {
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
    }
    // a path is included when it or one of its ancestors matches: "docs" takes all of docs/
    return rel -> {
      Path p = Path.of(rel);
      for (int i = 1; i <= p.getNameCount(); i++) {
        Path prefix = p.subpath(0, i);
        for (PathMatcher m : matchers) {
          if (m.matches(prefix)) {
            return true;
          }
        }
      }
      return false;
    };
  }

  private RestoreStats restoreOne(Restorer restorer, io.holdfast.internal.repo.Repository.Snapshot snap,
      String dataset, Path target, Predicate<String> include) throws IOException {
    switch (plan.mode()) {
      case REFUSE_NON_EMPTY:
        return refuseNonEmpty(restorer, snap, dataset, target, include);
      case OVERWRITE:
        return restorer.restore(snap, dataset, target, include, true);
      case ATOMIC_SWAP:
      default:
        return swap(restorer, snap, dataset, target, include);
    }
  }

  /**
   * Restores into an absent or empty target; a restore that fails part-way takes back what it
   * wrote, so the target is as empty as it was (or absent, if the restore made it).
   */
  private RestoreStats refuseNonEmpty(Restorer restorer, io.holdfast.internal.repo.Repository.Snapshot snap,
      String dataset, Path target, Predicate<String> include) throws IOException {
    boolean existed = Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    boolean wasEmpty = !existed || isEmptyDirectory(target);
    try {
      return restorer.restore(snap, dataset, target, include, false);
    } catch (RuntimeException e) {
      // only what this restore wrote is removed: a target that held data was refused untouched
      if (wasEmpty && Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try (var entries = Files.list(target)) {
          for (Path p : (Iterable<Path>) entries::iterator) {
            Restorer.removeTree(p);
          }
        }
        if (!existed) {
          Files.deleteIfExists(target);
        }
      }
      throw e;
    }
  }

  private static boolean isEmptyDirectory(Path p) throws IOException {
    if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (var entries = Files.list(p)) {
      return entries.findAny().isEmpty();
    }
  }

  /** Restores beside the target, then renames it into place; the old data is removed last. */
  private RestoreStats swap(Restorer restorer, io.holdfast.internal.repo.Repository.Snapshot snap,
      String dataset, Path target, Predicate<String> include) throws IOException {
    Path abs = target.toAbsolutePath();
    Path parent = abs.getParent();
    Files.createDirectories(parent);
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Path staging = parent.resolve("." + abs.getFileName() + ".holdfast-new-" + tag);
    Path old = parent.resolve("." + abs.getFileName() + ".holdfast-old-" + tag);
    RestoreStats stats;
    try {
      stats = restorer.restore(snap, dataset, staging, include, false);
    } catch (RuntimeException e) {
      Restorer.removeTree(staging);
      throw e;
    }
    boolean hadOld = Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    if (hadOld) {
      Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (hadOld) {
        Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
      }
      Restorer.removeTree(staging);
      throw e;
    }
    if (hadOld) {
      Restorer.removeTree(old);
    }
    return stats;
  }
}
