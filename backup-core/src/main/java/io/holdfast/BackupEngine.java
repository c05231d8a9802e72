package io.holdfast;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs backup, restore, verify, forget and prune plans. {@link #run(BackupPlan)} works as written; an engine built with
 * {@link #builder()} carries listeners, a clock and shared threads for many runs.
 *
 * <p>Whatever happens, a run never leaves the application held: every gate acquired is released
 * in a {@code finally}, and at the latest when the plan's maximum hold time has passed. Failures are
 * reported in the {@link BackupReport}, not thrown; {@link BackupReport#orThrow()} turns one into an
 * exception. Thread-safe: plans may run concurrently on one engine.
 */
public final class BackupEngine implements AutoCloseable {
  private final Clock clock;
  private final List<BackupListener> listeners;
  private final ExecutorService executor;

  private BackupEngine(Builder b) {
    this.clock = b.clock;
    this.listeners = List.copyOf(b.listeners);
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "holdfast-engine-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs one backup with a default engine. */
  public static BackupReport run(BackupPlan plan) {
    try (BackupEngine engine = builder().build()) {
      return engine.backup(plan);
    }
  }

  /** Runs one restore with a default engine. */
  public static RestoreReport run(RestorePlan plan) {
    try (BackupEngine engine = builder().build()) {
      return engine.restore(plan);
    }
  }

  /** Runs one verify with a default engine. */
  public static VerifyReport run(VerifyPlan plan) {
    try (BackupEngine engine = builder().build()) {
      return engine.verify(plan);
    }
  }

  /** Forgets what {@code plan}'s policy does not keep, with a default engine. */
  public static ForgetReport run(ForgetPlan plan) {
    try (BackupEngine engine = builder().build()) {
      return engine.forget(plan);
    }
  }

  /** Runs one prune with a default engine. */
  public static PruneReport run(PrunePlan plan) {
    try (BackupEngine engine = builder().build()) {
      return engine.prune(plan);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Backs up {@code plan}: see DESIGN.md section 3 for the lifecycle. */
  public BackupReport backup(BackupPlan plan) {
    return new BackupRun(Objects.requireNonNull(plan, "plan"), clock, listeners, executor).run();
  }

  /** Restores what {@code plan} selects. */
  public RestoreReport restore(RestorePlan plan) {
    return new RestoreRun(Objects.requireNonNull(plan, "plan"), clock, listeners, executor).run();
  }

  /**
   * Verifies what {@code plan} selects. Problems the check finds are in the report ({@link
   * VerifyReport#ok()}), not thrown; so is a failure to run it at all.
   */
  public VerifyReport verify(VerifyPlan plan) {
    return new VerifyRun(Objects.requireNonNull(plan, "plan"), clock, listeners).run();
  }

  /**
   * Forgets the snapshots {@code plan}'s policy does not keep: under the repository's exclusive
   * lock, deletes their snapshot files (never a pack: prune removes data no snapshot needs), then
   * offers the external references only they held to the plan's releasers. A dry run takes a
   * shared lock and changes nothing. Failures are in the report, not thrown.
   */
  public ForgetReport forget(ForgetPlan plan) {
    return new ForgetRun(Objects.requireNonNull(plan, "plan"), clock, listeners).run();
  }

  /**
   * Prunes the repository under its exclusive lock: removes the packs no snapshot needs, repacks the
   * partly used ones, as {@link PrunePlan} describes. Fails (in the report) with a {@link
   * LockConflictException} while another process holds a lock, after the plan's lock wait.
   */
  public PruneReport prune(PrunePlan plan) {
    return new PruneRun(Objects.requireNonNull(plan, "plan"), clock, listeners).run();
  }

  public Clock clock() {
    return clock;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** Builds a {@link BackupEngine}. */
  public static final class Builder {
    private Clock clock = Clock.systemDefaultZone();
    private final List<BackupListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The clock that timestamps phases and snapshots; tests pass a fake one. */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    public Builder listener(BackupListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    public BackupEngine build() {
      return new BackupEngine(this);
    }
  }
}
