package io.holdfast;

import io.holdfast.spi.ExternalReferenceReleaser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs backup plans on schedules (hourly at a minute, daily at a time of day in a zone, or every
 * fixed period) and, after each successful backup, forgets what the plan's
 * {@linkplain BackupPlan#retention() retention} does not keep.
 *
 * <p>When runs happen: {@link #start()} starts one thread that calls {@link #tick()} whenever the
 * next run is due, by the builder's {@link Clock}; callers with their own timer may call
 * {@link #tick()} themselves instead. A tick starts each plan whose due time has come, on a thread
 * of its own, and never a second run of a plan whose previous run is still going: that due run is
 * <em>skipped</em> and reported as {@linkplain Listener#missed missed} (a backup is not delayed into
 * the next one's slot). When several due times of a plan passed without a tick (the machine slept,
 * the clock jumped forward), only the latest is run, late, and the earlier ones are reported once
 * as missed, never replayed. When the clock is set back, each plan is next due at its schedule's
 * first instant after the new time.
 *
 * <p>Retention runs only after a backup that {@linkplain BackupReport#succeeded() succeeded}, as a
 * {@link ForgetPlan} of that plan's snapshots with the builder's releasers; its report, and the
 * hook {@link Builder#afterForget} (where a prune can be wired), follow. A failed backup forgets
 * nothing.
 *
 * <p>Thread-safe. The scheduler does not own the engine; {@link #close()} stops scheduling and
 * waits, at most {@link Builder#closeTimeout}, for runs still going, then interrupts them and
 * waits until they have released what they hold.
 * Listeners are called from the scheduler's threads, must not block, and cannot break it.
 */
public final class BackupScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);
  /** Missed due times listed in one report at most; the rest are counted. */
  static final int MAX_LISTED = 100;

  /** When a plan is due. Immutable. */
  public sealed interface Schedule permits Hourly, Daily, Every {
    /** The first due instant strictly after {@code after}. */
    Instant next(Instant after);

    /** At {@code minute} past every hour of {@code zone}'s clock. */
    static Schedule hourly(int minute, ZoneId zone) {
      return new Hourly(minute, zone);
    }

    /** At {@code minute} past every hour, UTC (the same instants in every whole-hour zone). */
    static Schedule hourly(int minute) {
      return new Hourly(minute, ZoneId.of("UTC"));
    }

    /** Daily at {@code time} in {@code zone}; see {@link Daily} for daylight-saving days. */
    static Schedule daily(LocalTime time, ZoneId zone) {
      return new Daily(time, zone);
    }

    /** Every {@code period}, at whole multiples of it since 1970-01-01T00:00Z. */
    static Schedule every(Duration period) {
      return new Every(period);
    }
  }

  /** At {@code minute} past each hour in {@code zone}; both hours a clock falls back through run. */
  public record Hourly(int minute, ZoneId zone) implements Schedule {
    public Hourly {
      if (minute < 0 || minute > 59) {
        throw new IllegalArgumentException("minute must be 0 to 59, got " + minute);
      }
      Objects.requireNonNull(zone, "zone");
    }

    @Override
    public Instant next(Instant after) {
      ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.HOURS).withMinute(minute);
      while (!t.toInstant().isAfter(after)) {
        t = t.plusHours(1);
      }
      return t.toInstant();
    }
  }

  /**
   * Once a day at {@code time} in {@code zone}. On the day clocks spring forward over that time it
   * runs when the skipped span ends (02:30 in a 02:00-03:00 gap runs at 03:30 new time); on the day
   * they fall back through it, once, at the first of the two.
   */
  public record Daily(LocalTime time, ZoneId zone) implements Schedule {
    public Daily {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(zone, "zone");
    }

    @Override
    public Instant next(Instant after) {
      ZonedDateTime day = after.atZone(zone);
      ZonedDateTime t = ZonedDateTime.of(day.toLocalDate(), time, zone);
      if (!t.toInstant().isAfter(after)) {
        t = ZonedDateTime.of(day.toLocalDate().plusDays(1), time, zone);
      }
      return t.toInstant();
    }
  }

  /** Every {@code period} (at least a second), at whole multiples of it since the epoch. */
  public record Every(Duration period) implements Schedule {
    public Every {
      if (period == null || period.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("a schedule period must be at least one second, got " + period);
      }
    }

    @Override
    public Instant next(Instant after) {
      long p = period.toMillis();
      long k = Math.floorDiv(after.toEpochMilli(), p) + 1;
      return Instant.ofEpochMilli(k * p);
    }
  }

  /**
   * One scheduled run: the due time it ran for, when it started, the backup's report, and the
   * forget's report if retention ran (only after a successful backup of a plan with a retention).
   */
  public record Run(String plan, Instant due, Instant started, BackupReport backup, Optional<ForgetReport> forget,
      Optional<PruneReport> prune) {}

  /** Due times of a plan that passed without a run, and why. */
  public record Missed(String plan, List<Instant> due, int notListed, Reason reason) {
    /** Why a due run did not happen. */
    public enum Reason {
      /** The plan's previous run was still going. */
      STILL_RUNNING,
      /** Its time passed before the scheduler could look (suspend, clock jump, a long stall). */
      TIME_PASSED
    }

    public Missed {
      due = List.copyOf(due);
    }
  }

  /** Hears what the scheduler does. Called from its threads; must not block. */
  public interface Listener {
    /** A run finished (whether its backup succeeded or not). */
    default void finished(Run run) {}

    /** Due runs that did not happen. */
    default void missed(Missed missed) {}
  }

  /** Waits, for {@link #start()}'s thread; tests pass one that advances a fake clock. */
  @FunctionalInterface
  public interface Sleeper {
    /** Returns once {@code clock} reads {@code deadline} or later, or earlier; throws when interrupted. */
    void sleepUntil(Clock clock, Instant deadline) throws InterruptedException;

    /**
     * Sleeps in steps of at most a minute, reading the clock after each, so that a clock set
     * forward or a machine waking from sleep is noticed within a minute.
     */
    static Sleeper system() {
      return (clock, deadline) -> {
        long ms = Duration.between(clock.instant(), deadline).toMillis();
        if (ms > 0) {
          Thread.sleep(Math.min(ms, 60_000));
        }
      };
    }
  }

  /** One plan on its schedule. Mutable state guarded by the scheduler's lock. */
  private static final class Entry {
    final BackupPlan plan;
    final Schedule schedule;
    Instant next;
    boolean running;

    Entry(BackupPlan plan, Schedule schedule, Instant next) {
      this.plan = plan;
      this.schedule = schedule;
      this.next = next;
    }
  }

  private final BackupEngine engine;
  private final Clock clock;
  private final Sleeper sleeper;
  private final List<Entry> entries;
  private final List<Listener> listeners;
  private final List<ExternalReferenceReleaser> releasers;
  private final BiConsumer<BackupPlan, ForgetReport> afterForget;
  private final java.util.function.Function<Repository, PrunePlan> pruneTemplate;
  private final Duration closeTimeout;
  private final ExecutorService runs;
  private final Object lock = new Object();
  /** The scheduler whose run the current thread is doing, if any. */
  private static final ThreadLocal<BackupScheduler> IN_RUN = new ThreadLocal<>();
  private Thread loop;
  private boolean closed;
  private Instant lastTick = Instant.MIN;

  private BackupScheduler(Builder b) {
    this.engine = b.engine;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.listeners = List.copyOf(b.listeners);
    this.releasers = List.copyOf(b.releasers);
    this.afterForget = b.afterForget;
    this.pruneTemplate = b.prune;
    this.closeTimeout = b.closeTimeout;
    Instant now = clock.instant();
    List<Entry> es = new ArrayList<>();
    b.plans.forEach(p -> es.add(new Entry(p.plan(), p.schedule(), p.schedule().next(now))));
    this.entries = List.copyOf(es);
    AtomicInteger n = new AtomicInteger();
    this.runs = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "holdfast-scheduled-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** A builder for a scheduler running plans on {@code engine}. */
  public static Builder builder(BackupEngine engine) {
    return new Builder(engine);
  }

  /**
   * Starts the scheduling thread. Returns at once.
   *
   * @throws IllegalStateException if started before or closed
   */
  public BackupScheduler start() {
    synchronized (lock) {
      if (closed || loop != null) {
        throw new IllegalStateException(closed ? "the scheduler is closed" : "the scheduler is already started");
      }
      loop = new Thread(this::loop, "holdfast-scheduler");
      loop.setDaemon(true);
      loop.start();
    }
    return this;
  }

  private void loop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        tick();
        sleeper.sleepUntil(clock, nextDue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("the backup scheduler stopped: {}", e.toString(), e);
    }
  }

  /** The earliest instant any plan is next due. */
  public Instant nextDue() {
    synchronized (lock) {
      return entries.stream().map(e -> e.next).min(Instant::compareTo).orElse(Instant.MAX);
    }
  }

  /**
   * Starts every run due by the clock now (see the class comment for skipped and missed runs);
   * returns at once, the runs going on their own threads. Does nothing once closed.
   */
  public void tick() {
    Instant now = clock.instant();
    List<Missed> missed = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (now.isBefore(lastTick)) {
        // the clock was set back: due times count from the new "now", not from the old one
        LOG.warn("the clock went back from {} to {}: schedules restart from now", lastTick, now);
        entries.forEach(e -> e.next = e.schedule.next(now));
      }
      lastTick = now;
      for (Entry e : entries) {
        if (e.next.isAfter(now)) {
          continue;
        }
        List<Instant> listed = new ArrayList<>();
        int count = 0;
        Instant last = e.next;
        for (Instant t = e.next; !t.isAfter(now); t = e.schedule.next(t)) {
          count++;
          last = t;
          if (listed.size() < MAX_LISTED) {
            listed.add(t);
          }
        }
        e.next = e.schedule.next(now);
        if (e.running) {
          missed.add(new Missed(e.plan.name(), listed, count - listed.size(), Missed.Reason.STILL_RUNNING));
          continue;
        }
        listed.remove(last); // the latest runs now, late if need be
        if (count > 1) {
          missed.add(new Missed(e.plan.name(), listed, count - 1 - listed.size(), Missed.Reason.TIME_PASSED));
        }
        e.running = true;
        Instant dueAt = last;
        runs.execute(() -> run(e, dueAt));
      }
    }
    for (Missed m : missed) {
      LOG.warn("{}: {} due run(s) missed ({}): {}{}", m.plan(), m.due().size() + m.notListed(), m.reason(), m.due(),
          m.notListed() > 0 ? " and " + m.notListed() + " more" : "");
      tell(l -> l.missed(m));
    }
  }

  private void run(Entry e, Instant due) {
    IN_RUN.set(this);
    try {
      Instant started = clock.instant();
      BackupReport backup = engine.backup(e.plan);
      Optional<ForgetReport> forget = Optional.empty();
      Optional<PruneReport> prune = Optional.empty();
      Optional<RetentionPolicy> retention = e.plan.retention().filter(p -> !p.isEmpty());
      if (backup.succeeded() && retention.isPresent()) {
        ForgetReport f = engine.forget(ForgetPlan.builder(e.plan.repository()).policy(retention.get())
            .plan(e.plan.name()).releasers(releasers).build());
        forget = Optional.of(f);
        if (afterForget != null) {
          try {
            afterForget.accept(e.plan, f);
          } catch (RuntimeException ex) {
            LOG.error("{}: the after-forget hook failed: {}", e.plan.name(), ex.toString(), ex);
          }
        }
        if (pruneTemplate != null && f.succeeded() && !f.deleted().isEmpty()) {
          prune = Optional.of(engine.prune(pruneTemplate.apply(e.plan.repository())));
        }
      }
      Run result = new Run(e.plan.name(), due, started, backup, forget, prune);
      tell(l -> l.finished(result)); // before the plan may run again, so reports arrive in order
    } catch (RuntimeException ex) {
      LOG.error("{}: scheduled run for {} failed: {}", e.plan.name(), due, ex.toString(), ex);
    } finally {
      IN_RUN.remove();
      synchronized (lock) {
        e.running = false;
        lock.notifyAll();
      }
    }
  }

  private void tell(java.util.function.Consumer<Listener> call) {
    for (Listener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException ex) {
        LOG.warn("scheduler listener failed: {}", ex.toString());
      }
    }
  }

  /** Waits until no run is going, at most {@code timeout}; true if none is. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (entries.stream().anyMatch(e -> e.running)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /**
   * Stops scheduling, then waits at most the close timeout for runs still going; past it (or when
   * the caller is interrupted) they are interrupted, and close returns once they have ended: a
   * backup interrupted releases its gates, snapshots and lock as any failed one does.
   */
  @Override
  public void close() {
    Thread t;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      t = loop;
    }
    if (t != null) {
      t.interrupt();
    }
    runs.shutdown();
    boolean interrupted = false;
    try {
      if (!runs.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("scheduled runs still going after {}: interrupting them", closeTimeout);
        runs.shutdownNow();
      }
      if (t != null) {
        t.join(Math.max(1, closeTimeout.toMillis())); // join(0) would wait forever
      }
    } catch (InterruptedException e) {
      runs.shutdownNow();
      interrupted = true;
    }
    // an interrupted backup still releases its gates, closes its snapshots and unlocks: returning
    // (and letting the JVM exit) before that would leave the application held and a lock behind;
    // unless close was called from a run (a listener), which would then wait for itself
    while (IN_RUN.get() != this) {
      try {
        if (runs.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
        LOG.warn("interrupted scheduled runs still going a minute later; waiting for them");
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private record Scheduled(BackupPlan plan, Schedule schedule) {}

  /** Builds a {@link BackupScheduler}; not thread-safe. */
  public static final class Builder {
    private final BackupEngine engine;
    private Clock clock;
    private Sleeper sleeper = Sleeper.system();
    private final List<Scheduled> plans = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<ExternalReferenceReleaser> releasers = new ArrayList<>();
    private BiConsumer<BackupPlan, ForgetReport> afterForget;
    private java.util.function.Function<Repository, PrunePlan> prune;
    private Duration closeTimeout = Duration.ofMinutes(1);

    private Builder(BackupEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      this.clock = engine.clock();
    }

    /** The clock that decides when runs are due; the engine's by default. */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    public Builder sleeper(Sleeper s) {
      this.sleeper = Objects.requireNonNull(s, "sleeper");
      return this;
    }

    /** Runs {@code plan} on {@code schedule}; a plan name may be scheduled once. */
    public Builder schedule(BackupPlan plan, Schedule schedule) {
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(schedule, "schedule");
      if (plans.stream().anyMatch(p -> p.plan().name().equals(plan.name()))) {
        throw new IllegalArgumentException("plan " + plan.name() + " is scheduled twice");
      }
      plans.add(new Scheduled(plan, schedule));
      return this;
    }

    public Builder listener(Listener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /** Releasers given to each retention's {@link ForgetPlan}. */
    public Builder releaser(ExternalReferenceReleaser r) {
      releasers.add(Objects.requireNonNull(r, "releaser"));
      return this;
    }

    /**
     * Called after each retention with its report, on the run's thread and before the next run of
     * the plan can start: where to prune the repository.
     */
    public Builder afterForget(BiConsumer<BackupPlan, ForgetReport> hook) {
      this.afterForget = hook;
      return this;
    }

    /**
     * Prunes the plan's repository after a retention that removed snapshots, with the plan {@code
     * plan} makes for that repository ({@code repo -> PrunePlan.builder(repo).lockWait(...).build()});
     * the report is in {@link Run#prune()}. Off by default. A prune takes the exclusive lock: give
     * it a lock wait when several plans share a repository.
     */
    public Builder pruneAfterForget(java.util.function.Function<Repository, PrunePlan> plan) {
      this.prune = Objects.requireNonNull(plan, "plan");
      return this;
    }

    /** How long {@link #close()} waits for runs still going. */
    public Builder closeTimeout(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("closeTimeout must not be negative, got " + d);
      }
      this.closeTimeout = d;
      return this;
    }

    /**
     * Builds the scheduler (not yet started); each plan is first due at its schedule's first
     * instant after now.
     */
    public BackupScheduler build() {
      if (plans.isEmpty()) {
        throw new IllegalArgumentException("no plan is scheduled");
      }
      return new BackupScheduler(this);
    }
  }
}
