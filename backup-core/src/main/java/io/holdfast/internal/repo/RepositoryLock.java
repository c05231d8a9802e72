package io.holdfast.internal.repo;

import io.holdfast.HoldfastException;
import io.holdfast.LockConflictException;
import io.holdfast.internal.json.GoTime;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared or exclusive lock on a repository, as restic takes them: a lock file in {@code locks/},
 * refreshed while held (a new file replaces the old one), removed on {@link #close()}.
 *
 * <p>A lock is stale when its time is more than {@link #STALE_AFTER} old, or when it was taken on
 * this host by a process that no longer runs. Stale locks never conflict. Thread-safe.
 */
public final class RepositoryLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryLock.class);
  public static final Duration STALE_AFTER = Duration.ofMinutes(30);
  public static final Duration REFRESH_EVERY = Duration.ofMinutes(5);

  private final Repository repo;
  private final boolean exclusive;
  private final ScheduledExecutorService refresher;
  private Id current;
  private Instant written;
  private boolean closed;

  private RepositoryLock(Repository repo, boolean exclusive, Id current, Duration refresh) {
    this.repo = repo;
    this.exclusive = exclusive;
    this.current = current;
    this.written = repo.clock().instant();
    this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "holdfast-lock-refresh");
      t.setDaemon(true);
      return t;
    });
    refresher.scheduleWithFixedDelay(this::refresh, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes a shared lock (backups, restores) or an exclusive one (prune), refreshed every 5 minutes. */
  public static RepositoryLock acquire(Repository repo, boolean exclusive) {
    return acquire(repo, exclusive, REFRESH_EVERY);
  }

  /**
   * Takes a lock refreshed at the given interval.
   *
   * Once the lock is held the repository's index is brought up to date ({@link
   * Repository#refreshIndex()}), so that nothing read before the lock is trusted.
   *
   * @throws LockConflictException if a live lock conflicts, before or just after ours was written
   */
  public static RepositoryLock acquire(Repository repo, boolean exclusive, Duration refresh) {
    checkConflicts(repo, exclusive, null);
    Id mine = write(repo, exclusive);
    try {
      // Another process may have written its lock between our check and our write: check again.
      checkConflicts(repo, exclusive, mine);
      // What was read before the lock was held may be out of date: a prune may have replaced it.
      repo.refreshIndex();
    } catch (RuntimeException e) {
      delete(repo, mine);
      throw e;
    }
    return new RepositoryLock(repo, exclusive, mine, refresh);
  }

  public boolean exclusive() {
    return exclusive;
  }

  /** The id of the lock file now in place. */
  public synchronized Id id() {
    return current;
  }

  /**
   * Checks that this lock still protects its holder: its file is in place and was written less
   * than {@link #STALE_AFTER} ago, so that no other process may take it for stale and prune. A
   * backup calls this before it writes its snapshot.
   *
   * @throws LockConflictException if the lock was removed or could not be refreshed in time
   */
  public synchronized void ensureHeld() {
    if (closed) {
      throw new IllegalStateException("lock " + current.shortHex() + " was released");
    }
    if (!written.plus(STALE_AFTER).isAfter(repo.clock().instant())) {
      throw new LockConflictException("lock " + current.shortHex() + " was not refreshed since " + written
          + ": others may have taken it as stale (and pruned); giving up rather than trusting the repository");
    }
    try {
      repo.store().stat(FileType.LOCK.key(current));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new LockConflictException("lock " + current.shortHex() + " was removed by another process"
          + " (restic unlock?): giving up rather than trusting the repository");
    } catch (IOException e) {
      throw Repository.storage("check lock " + current.shortHex(), e);
    }
  }

  private static Id write(Repository repo, boolean exclusive) {
    Host h = Host.current();
    LockFile f = new LockFile(GoTime.format(ZonedDateTime.now(repo.clock())), exclusive, h.hostname(),
        h.username(), h.pid(), Math.max(0, h.uid()), Math.max(0, h.gid()));
    return repo.saveFile(FileType.LOCK, Json.write(f));
  }

  private static void checkConflicts(Repository repo, boolean exclusive, Id mine) {
    // A lock that vanishes between the listing and its read was most likely refreshed: its holder
    // wrote the new file before deleting the old one, so a new listing shows it.
    for (int attempt = 1; ; attempt++) {
      boolean vanished = false;
      for (Id id : repo.list(FileType.LOCK)) {
        if (id.equals(mine)) {
          continue;
        }
        LockFile other;
        try {
          other = Json.read(repo.loadFile(FileType.LOCK, id), LockFile.class, "locks/" + id.shortHex());
        } catch (HoldfastException e) {
          vanished |= Repository.isMissing(e);
          // an unreadable lock cannot be honoured
          LOG.debug("skipping lock {}: {}", id.shortHex(), e.getMessage());
          continue;
        }
        if (isStale(repo, other)) {
          continue;
        }
        if (exclusive || other.exclusive()) {
          throw new LockConflictException("repository is already locked " + (other.exclusive() ? "exclusively " : "")
              + "by PID " + other.pid() + " on " + other.hostname() + " by " + other.username()
              + " since " + other.time() + age(repo, other) + " (lock " + id.shortHex() + ")");
        }
      }
      if (!vanished || attempt == 5) {
        return;
      }
    }
  }

  private static String age(Repository repo, LockFile lock) {
    try {
      Duration age = Duration.between(GoTime.parse(lock.time()).toInstant(), repo.clock().instant());
      return age.isNegative() ? "" : ", " + age.toSeconds() + " s ago";
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** True if the lock is older than 30 minutes, or held on this host by a process that is gone. */
  static boolean isStale(Repository repo, LockFile lock) {
    Instant time;
    try {
      time = GoTime.parse(lock.time()).toInstant();
    } catch (RuntimeException e) {
      return true;
    }
    if (time.plus(STALE_AFTER).isBefore(repo.clock().instant())) {
      return true;
    }
    if (Host.current().hostname().equals(lock.hostname())) {
      return ProcessHandle.of(lock.pid()).map(p -> !p.isAlive()).orElse(true);
    }
    return false;
  }

  /** Ids of the stale locks in the repository. */
  public static List<Id> staleLocks(Repository repo) {
    List<Id> out = new ArrayList<>();
    for (Id id : repo.list(FileType.LOCK)) {
      try {
        if (isStale(repo, Json.read(repo.loadFile(FileType.LOCK, id), LockFile.class, "locks/" + id.shortHex()))) {
          out.add(id);
        }
      } catch (HoldfastException e) {
        LOG.debug("lock {} unreadable: {}", id.shortHex(), e.getMessage());
      }
    }
    return out;
  }

  synchronized void refresh() {
    if (closed) {
      return;
    }
    try {
      Instant now = repo.clock().instant();
      Id next = write(repo, exclusive);
      Id old = current;
      current = next;
      written = now;
      delete(repo, old);
    } catch (RuntimeException e) {
      LOG.warn("cannot refresh repository lock {}: {}", current.shortHex(), e.getMessage());
    }
  }

  private static void delete(Repository repo, Id id) {
    try {
      repo.store().delete(FileType.LOCK.key(id));
    } catch (IOException e) {
      LOG.warn("cannot remove lock {}: {}", id.shortHex(), e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    refresher.shutdownNow();
    delete(repo, current);
  }
}
