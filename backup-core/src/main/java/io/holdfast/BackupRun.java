package io.holdfast;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.repo.SnapshotManifest;
import io.holdfast.internal.repo.Tree;
import io.holdfast.spi.Dataset;
import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider.Capability;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of a {@link BackupPlan}, DESIGN.md section 3 step by step. Used once, by one thread. */
final class BackupRun {
  private static final Logger LOG = LoggerFactory.getLogger(BackupRun.class);

  private final BackupPlan plan;
  private final Clock clock;
  private final ExecutorService executor;
  private final RunLog log;
  private final String runId = java.util.UUID.randomUUID().toString();
  private List<String> releaseErrors = List.of();
  private String subject;

  BackupRun(BackupPlan plan, Clock clock, List<BackupListener> listeners, ExecutorService executor) {
    this.plan = plan;
    this.clock = clock;
    this.executor = executor;
    this.log = new RunLog(plan.name(), clock, listeners);
  }



  /** Per dataset: its snapshot, the stats of its passes, its node in the root tree. */
  private static final class State {
    final Dataset dataset;
    /** The dataset's provider, as {@link SnapshotProvider#prepare} bound it to this run. */
    io.holdfast.spi.SnapshotProvider provider;
    Snapshot snapshot;
    Instant frozenAt;
    Node node;
    Id parentSubtree;
    final BackupStats first = new BackupStats();
    final BackupStats gated = new BackupStats();
    /**
     * The take inside the hold (done once take() has returned and an in-hold read has started),
     * yielding that read or null; null before the hold.
     */
    CompletableFuture<CompletableFuture<Node>> freezing;
    /** The snapshot's awaitCompletion, once the hold is over. */
    InterruptibleCall completion;

    private boolean abandoned;

    State(Dataset dataset) {
      this.dataset = dataset;
      this.provider = dataset.provider();
    }

    /**
     * Keeps a snapshot {@code take()} returned; false once the run has closed its snapshots (a
     * take that outlived a failure or the watchdog), and the caller must close it.
     */
    synchronized boolean adopt(Snapshot taken) {
      if (abandoned) {
        return false;
      }
      snapshot = taken;
      return true;
    }

    /** The snapshot to close, if any; later takes are refused by {@link #adopt}. */
    synchronized Snapshot abandon() {
      abandoned = true;
      return snapshot;
    }

    /** True once the run has ended its work on this dataset: a take not yet started is not started. */
    synchronized boolean abandoned() {
      return abandoned;
    }

    Capability capability() {
      return dataset.provider().capability();
    }
  }

  BackupReport run() {
    log.enter(Phase.INITIALIZING);
    Map<String, State> states = new LinkedHashMap<>();
    plan.datasets().forEach(d -> states.put(d.name(), new State(d)));
    java.util.concurrent.ScheduledFuture<?> progress = log.listeners().isEmpty() ? null
        : PROGRESS.scheduleAtFixedRate(() -> progress(states), 250, 250, TimeUnit.MILLISECONDS);
    try {
      return runWith(states);
    } finally {
      if (progress != null) {
        progress.cancel(false);
        progress(states);
      }
    }
  }

  private static final java.util.concurrent.ScheduledExecutorService PROGRESS =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "holdfast-progress");
        t.setDaemon(true);
        return t;
      });

  private void progress(Map<String, State> states) {
    long files = 0;
    long bytes = 0;
    for (State s : states.values()) {
      BackupStats st = s.capability() == Capability.PRE_COPY ? s.first : s.gated;
      files += st.filesNew() + st.filesChanged() + st.filesUnmodified();
      bytes += st.bytesTotal();
    }
    log.progress(files, bytes);
  }

  private BackupReport runWith(Map<String, State> states) {
    Duration hold = Duration.ZERO;
    boolean gated = false;
    String snapshotId = null;
    Failure failure = null;
    Map<String, ConsistencyLevel> levels = null;
    DatasetWork inHold = new DatasetWork();
    DatasetWork afterHold = new DatasetWork();
    io.holdfast.internal.repo.Repository repo = null;
    RepositoryLock lock = null;
    Archiver archiver = null;
    HeldGates held = null;
    try {
      subject = "repository";
      repo = open(plan.repository(), clock);
      lock = RepositoryLock.acquire(repo, false);
      io.holdfast.internal.repo.Repository.Snapshot parent = repo.latest(List.of(plan.planTag()), null).orElse(null);
      Tree parentRoot = parent == null ? null : repo.loadTree(Id.parse(parent.file().tree()));
      for (State s : states.values()) {
        Node prev = parentRoot == null ? null : parentRoot.find(s.dataset.name());
        s.parentSubtree = prev != null && prev.isDir() && prev.subtree() != null ? Id.parse(prev.subtree()) : null;
      }
      archiver = new Archiver(repo, plan.parallelism());
      subject = null;

      // prepare: providers look up what they need, pre-copy datasets are read in full, while the
      // application runs
      for (State s : states.values()) {
        subject = s.dataset.name();
        s.provider = java.util.Objects.requireNonNull(s.dataset.provider().prepare(context(s)),
            "the provider of " + s.dataset.name() + " prepared no provider");
      }
      boolean precopied = false;
      for (State s : states.values()) {
        if (s.capability() == Capability.PRE_COPY) {
          subject = s.dataset.name();
          s.snapshot = s.provider.take(context(s));
          Node first = Archiver.join(archiver.archive(s.dataset.name(), requireRoot(s), s.parentSubtree,
              s.dataset::excludes, s.first));
          s.parentSubtree = Id.parse(first.subtree());
          precopied = true;
        }
      }
      if (precopied) {
        repo.flush(); // the gated pass reads the first pass's trees back as its parent
      }
      subject = null;

      log.enter(Phase.INITIALIZED);
      long holdStart = System.nanoTime();
      subject = "gates";
      held = HeldGates.acquire(plan.name(), plan.gates(), executor, log::warn);
      subject = null;
      gated = held.complete();
      try {
        freezeInsideHold(states, archiver, holdStart, inHold);
      } finally {
        held.releaseAll();
        hold = plan.gates().isEmpty() ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - holdStart);
        releaseErrors = held.releaseFailures();
        LOG.info("{}: gates held {} ms", plan.name(), hold.toMillis());
      }

      log.enter(Phase.RUNNING);
      readFrozen(states, archiver, afterHold);
      subject = null;
      List<Node> roots = new ArrayList<>();
      List<String> paths = new ArrayList<>();
      for (State s : states.values()) {
        // a pre-copy pass reads a moving target: what vanished under it is reread inside the hold
        s.first.warnings().forEach(w -> LOG.debug("{}: pre-copy pass: {}", plan.name(), w));
        s.gated.warnings().forEach(log::warn);
        if (s.node != null) {
          roots.add(s.node);
        } else {
          // a snapshot with nothing to copy (external references only): an empty directory
          roots.add(archiver.syntheticDir(s.dataset.name(), List.of(), clock.instant()));
        }
        paths.add(s.dataset.location().map(p -> p.toAbsolutePath().toString())
            .orElse("/holdfast/" + plan.name() + "/" + s.dataset.name()));
      }
      levels = levels(states, gated, plan.gates().isEmpty());
      byte[] manifest = manifest(states, levels, hold, held.names());
      roots.add(archiver.syntheticDir(SnapshotManifest.DIR,
          List.of(archiver.syntheticFile(SnapshotManifest.FILE, manifest, clock.instant())), clock.instant()));
      List<String> tags = new ArrayList<>();
      tags.add("holdfast");
      tags.add(plan.planTag());
      tags.addAll(plan.tags());
      lock.ensureHeld(); // a lock others may take for stale no longer keeps a prune away
      Id id = archiver.commit(roots, paths, parent == null ? null : parent.id(), tags);
      snapshotId = id.hex();
      for (State s : states.values()) {
        try {
          s.snapshot.committed(snapshotId);
        } catch (Exception e) {
          log.warn("dataset " + s.dataset.name() + ": cannot record the committed snapshot id: " + e.getMessage());
        }
      }
      log.enter(Phase.SUCCEEDED);
    } catch (Throwable t) {
      Throwable cause = DatasetWork.unwrap(t);
      failure = Failure.of(log.phase(), subject, cause);
      LOG.error("{}: backup failed in {}{}: {}", plan.name(), log.phase(), subject == null ? "" : " (" + subject + ")",
          failure.message());
      if (held != null) {
        held.releaseAll(); // idempotent; here for failures between acquire and the inner finally
        releaseErrors = held.releaseFailures();
      }
      log.enter(Phase.FAILED);
    } finally {
      // the gates are released by now: stopping the work and closing may take the time they need
      inHold.stop();
      afterHold.stop();
      try {
        List<Exception> closeFailures = stopAndClose(states, archiver);
        if (failure != null) {
          inHold.attachTo(failure.cause());
          afterHold.attachTo(failure.cause());
          closeFailures.forEach(failure.cause()::addSuppressed);
        }
      } finally {
        close(lock, repo); // also when closing a snapshot threw an Error: never leave the lock behind
      }
    }
    if (failure != null && failure.cause() instanceof Error e && !(e instanceof AssertionError)) {
      throw e;
    }
    return report(snapshotId, hold, states, levels != null ? levels : levels(states, gated, plan.gates().isEmpty()),
        failure);
  }

  /**
   * Ends all work on the snapshots, then closes each one that was taken, once: no more takes are
   * adopted, the in-hold tasks that adopted one finish starting their read, the archiver's reads are
   * interrupted and waited for, so are the awaitCompletion calls. A take still running (past the
   * maximum hold) closes its own snapshot when it returns. Returns what the closes threw, each
   * also a warning of the run.
   */
  private List<Exception> stopAndClose(Map<String, State> states, Archiver archiver) {
    Map<State, Snapshot> toClose = new LinkedHashMap<>();
    for (State s : states.values()) {
      Snapshot snapshot = s.abandon();
      if (snapshot != null) {
        toClose.put(s, snapshot);
        if (s.freezing != null) {
          s.freezing.exceptionally(e -> null).join(); // take() returned: only the read's start is left
        }
      }
    }
    if (archiver != null) {
      archiver.close();
    }
    for (State s : states.values()) {
      if (s.completion != null) {
        s.completion.stop();
      }
    }
    for (State s : states.values()) {
      if (s.completion != null) {
        s.completion.awaitEnded();
      }
    }
    List<Exception> failures = new ArrayList<>();
    toClose.forEach((s, snapshot) -> {
      try {
        snapshot.close();
      } catch (Exception e) {
        failures.add(e);
        log.warn("cannot close the snapshot of " + s.dataset.name() + ": " + e);
      }
    });
    return failures;
  }

  private io.holdfast.spi.SnapshotContext context(State s) {
    return new io.holdfast.spi.SnapshotContext(plan.name(), s.dataset.name(), runId, log.phases().get(0).at());
  }

  /**
   * After the hold: reads every instant snapshot and waits for every snapshot's {@link
   * Snapshot#awaitCompletion} (on the engine's threads, so an EBS snapshot completes while the
   * other datasets are read), all at once, until all are done or one fails.
   */
  private void readFrozen(Map<String, State> states, Archiver archiver, DatasetWork work) throws Exception {
    for (State s : states.values()) {
      String dataset = s.dataset.name();
      Snapshot snapshot = s.snapshot;
      s.completion = InterruptibleCall.start(() -> {
        try {
          snapshot.awaitCompletion(line -> log.status(dataset, line));
        } catch (Exception e) {
          throw failureOf(s, e);
        }
      }, executor);
      work.add(dataset, s.completion.result());
    }
    for (State s : states.values()) {
      if (s.capability() == Capability.INSTANT && s.snapshot.root() != null) {
        subject = s.dataset.name();
        work.add(s.dataset.name(), archiver.archive(s.dataset.name(), s.snapshot.root(), s.parentSubtree,
            s.dataset::excludes, s.gated).thenAccept(n -> s.node = n));
      }
    }
    subject = null;
    Optional<DatasetWork.Failed> failed = work.await();
    if (failed.isPresent()) {
      subject = failed.get().dataset();
      throw asException(failed.get().cause());
    }
  }

  /** What a snapshot call threw, as the failure of its dataset. */
  private static SnapshotException failureOf(State s, Exception e) {
    return new SnapshotException(
        "dataset " + s.dataset.name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
  }

  private static Exception asException(Throwable t) {
    if (t instanceof Exception e) {
      return e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new HoldfastException(t.toString(), t);
  }

  /** A snapshot whose take() returned after the run gave up on it: closed at once, since no one else will. */
  private void closeLate(State s, Snapshot taken) {
    try {
      taken.close();
      LOG.warn("{}: the snapshot of {} was taken after the backup had ended; closed", plan.name(), s.dataset.name());
    } catch (Exception e) {
      LOG.error("{}: the snapshot of {} was taken after the backup had ended and cannot be closed: {}",
          plan.name(), s.dataset.name(), e.toString());
    }
  }

  private static java.nio.file.Path requireRoot(State s) {
    java.nio.file.Path root = s.snapshot.root();
    if (root == null) {
      throw new HoldfastException("dataset " + s.dataset.name() + ": a " + s.capability()
          + " provider must give a snapshot with a root to read");
    }
    return root;
  }

  /**
   * Inside the hold: every dataset frozen in parallel; live and pre-copy datasets read to the end.
   * Returns when all are, or throws at the first failure once every take has returned (DESIGN.md
   * section 3: the gates are released only then), or when the plan's maximum hold has passed.
   */
  private void freezeInsideHold(Map<String, State> states, Archiver archiver, long holdStart, DatasetWork work)
      throws Exception {
    for (State s : states.values()) {
      s.freezing = CompletableFuture.supplyAsync(() -> freeze(s, archiver), executor);
      work.add(s.dataset.name(), s.freezing.thenCompose(read -> read == null ? CompletableFuture.<Void>completedFuture(null)
          : read.handle((node, e) -> {
            if (e != null) {
              Throwable c = DatasetWork.unwrap(e);
              throw new CompletionException(c instanceof Exception ex ? failureOf(s, ex) : c);
            }
            s.node = node;
            return null;
          })));
    }
    long deadline = holdStart + plan.maxHold().toNanos();
    Optional<DatasetWork.Failed> failed;
    try {
      failed = work.await(deadline);
    } catch (TimeoutException e) {
      List<String> running = work.running().stream().map(DatasetWork.Task::dataset).toList();
      subject = running.isEmpty() ? null : running.get(0);
      throw overHeld(running);
    }
    if (failed.isEmpty()) {
      return;
    }
    subject = failed.get().dataset();
    Exception failure = asException(failed.get().cause());
    List<State> taking = states.values().stream().filter(s -> !s.freezing.isDone()).toList();
    for (State s : taking) {
      log.status(s.dataset.name(), "waiting for its snapshot to be taken before releasing the gates: dataset "
          + subject + " failed");
    }
    try {
      CompletableFuture.allOf(taking.stream().map(s -> s.freezing.exceptionally(x -> null))
          .toArray(CompletableFuture[]::new)).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      failure.addSuppressed(overHeld(taking.stream().filter(s -> !s.freezing.isDone())
          .map(s -> s.dataset.name()).toList()));
    }
    throw failure;
  }

  /**
   * One dataset's work inside the hold: its take (pre-copy: taken before), then, unless instant,
   * the start of its read, returned. Null when there is nothing to read or the run has ended.
   */
  private CompletableFuture<Node> freeze(State s, Archiver archiver) {
    try {
      if (s.capability() != Capability.PRE_COPY) {
        if (s.abandoned()) {
          return null; // the run ended before this started: take nothing
        }
        Snapshot taken = s.provider.take(context(s));
        if (!s.adopt(taken)) {
          closeLate(s, taken);
          return null;
        }
      }
      s.frozenAt = clock.instant();
      if (s.capability() == Capability.INSTANT) {
        return null;
      }
      return archiver.archive(s.dataset.name(), requireRoot(s), s.parentSubtree, s.dataset::excludes, s.gated);
    } catch (Exception e) {
      throw new CompletionException(failureOf(s, e));
    }
  }

  private GateException overHeld(List<String> datasets) {
    return new GateException("gates held longer than the plan's maximum of " + plan.maxHold()
        + " while freezing " + String.join(", ", datasets) + "; released and the backup abandoned");
  }

  private Map<String, ConsistencyLevel> levels(Map<String, State> states, boolean gated, boolean noGates) {
    Map<String, ConsistencyLevel> out = new LinkedHashMap<>();
    for (State s : states.values()) {
      ConsistencyLevel l = gated ? ConsistencyLevel.APPLICATION
          : s.capability() == Capability.INSTANT ? ConsistencyLevel.CRASH : ConsistencyLevel.NONE;
      out.put(s.dataset.name(), l);
    }
    if (log.phase() == Phase.INITIALIZED || log.phase() == Phase.RUNNING) {
      out.forEach((name, l) -> {
        if (l == ConsistencyLevel.NONE) {
          log.warn("dataset " + name + " was read live without a gate: consistency none");
        }
      });
    }
    return out;
  }

  /** Releases a run's lock and closes its repository, each if it got that far; the repository also when unlocking throws. */
  static void close(RepositoryLock lock, io.holdfast.internal.repo.Repository repo) {
    try {
      if (lock != null) {
        lock.close();
      }
    } finally {
      if (repo != null) {
        repo.close();
      }
    }
  }

  static io.holdfast.internal.repo.Repository open(Repository r, Clock clock) {
    return open(r, clock, r.creates());
  }

  /** Opens {@code r}; creates it when absent only if {@code mayCreate} (a prune never creates one). */
  static io.holdfast.internal.repo.Repository open(Repository r, Clock clock, boolean mayCreate) {
    char[] pw = r.password();
    try {
      try {
        return io.holdfast.internal.repo.Repository.open(r.store(), pw, RepositoryOptions.defaults(), clock);
      } catch (RepositoryNotFoundException e) {
        if (!mayCreate) {
          throw e;
        }
        return io.holdfast.internal.repo.Repository.init(r.store(), pw, ScryptParams.DEFAULT,
            RepositoryOptions.defaults(), clock);
      }
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  private byte[] manifest(Map<String, State> states, Map<String, ConsistencyLevel> levels, Duration hold,
      List<String> gateNames) {
    List<SnapshotManifest.Dataset> ds = new ArrayList<>();
    for (State s : states.values()) {
      ds.add(SnapshotManifest.Dataset.of(s.dataset.name(), s.dataset.provider().name(), s.capability(),
          levels.get(s.dataset.name()), s.frozenAt,
          s.dataset.location().map(p -> p.toAbsolutePath().toString()).orElse(null), s.dataset.describe(),
          s.snapshot == null ? Map.of() : s.snapshot.externalReferences()));
    }
    return SnapshotManifest.of(plan.name(), runId, plan.appVersion(), io.holdfast.internal.repo.Host.current().hostname(),
        log.phases().get(0).at(), gateNames, hold.toMillis(), ds).toJson();
  }

  private BackupReport report(String snapshotId, Duration hold, Map<String, State> states,
      Map<String, ConsistencyLevel> levels, Failure failure) {
    List<DatasetReport> ds = new ArrayList<>();
    for (State s : states.values()) {
      // pre-copy: file counts are those of the full pass against the parent snapshot; bytes are
      // those of both passes
      BackupStats counts = s.capability() == Capability.PRE_COPY ? s.first : s.gated;
      ds.add(new DatasetReport(s.dataset.name(), s.dataset.provider().name(), levels.get(s.dataset.name()),
          counts.filesNew(), counts.filesChanged(), counts.filesUnmodified(),
          s.first.bytesRead() + s.gated.bytesRead(), s.first.bytesAdded() + s.gated.bytesAdded(), s.frozenAt,
          s.snapshot == null ? Map.of() : Map.copyOf(s.snapshot.externalReferences()),
          s.gated.warnings().size()));
    }
    return new BackupReport(plan.name(), Optional.ofNullable(snapshotId), log.phases(), hold,
        List.copyOf(ds), log.warnings(), releaseErrors, Optional.ofNullable(failure));
  }
}
