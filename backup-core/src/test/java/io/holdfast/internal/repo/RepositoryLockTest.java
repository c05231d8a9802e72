package io.holdfast.internal.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.LockConflictException;
import io.holdfast.internal.json.GoTime;
import io.holdfast.storage.InMemoryBlobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class RepositoryLockTest {
  private static Repository repo() {
    return Repository.init(new InMemoryBlobStore(), RepositoryTest.PW, RepositoryTest.FAST,
        RepositoryOptions.defaults(), Clock.systemUTC());
  }

  @Test
  void sharedLocksCoexistButExcludeAnExclusiveOne() {
    try (Repository repo = repo()) {
      try (RepositoryLock a = RepositoryLock.acquire(repo, false); RepositoryLock b = RepositoryLock.acquire(repo, false)) {
        assertThat(repo.list(FileType.LOCK)).hasSize(2);
        assertThatThrownBy(() -> RepositoryLock.acquire(repo, true))
            .isInstanceOf(LockConflictException.class)
            .hasMessageContaining("PID " + ProcessHandle.current().pid());
      }
      assertThat(repo.list(FileType.LOCK)).isEmpty();
      try (RepositoryLock x = RepositoryLock.acquire(repo, true)) {
        assertThatThrownBy(() -> RepositoryLock.acquire(repo, false)).isInstanceOf(LockConflictException.class);
        assertThat(repo.list(FileType.LOCK)).hasSize(1);
      }
    }
  }

  @Test
  void aLockIsRefreshedWhileHeld() throws Exception {
    try (Repository repo = repo(); RepositoryLock lock = RepositoryLock.acquire(repo, false, Duration.ofMillis(50))) {
      Id first = lock.id();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (lock.id().equals(first) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(lock.id()).isNotEqualTo(first);
      assertThat(repo.list(FileType.LOCK)).containsExactly(lock.id());
    }
  }

  @Test
  void oldLocksAndLocksOfDeadProcessesAreStale() {
    try (Repository repo = repo()) {
      Host h = Host.current();
      String old = GoTime.format(ZonedDateTime.now().minusMinutes(31));
      String now = GoTime.format(ZonedDateTime.now());
      repo.saveFile(FileType.LOCK, Json.write(new LockFile(old, true, "elsewhere", "u", 1, 0, 0)));
      repo.saveFile(FileType.LOCK, Json.write(new LockFile(now, true, h.hostname(), "u", Long.MAX_VALUE - 1, 0, 0)));
      assertThat(RepositoryLock.staleLocks(repo)).hasSize(2);
      try (RepositoryLock x = RepositoryLock.acquire(repo, true)) {
        assertThat(x.exclusive()).isTrue();
      }
      repo.saveFile(FileType.LOCK, Json.write(new LockFile(now, true, "elsewhere", "u", 1, 0, 0)));
      assertThatThrownBy(() -> RepositoryLock.acquire(repo, false)).isInstanceOf(LockConflictException.class)
          .hasMessageContaining("elsewhere");
    }
  }

  @Test
  void aLockWhoseFileWasRemovedIsNoLongerHeld() throws Exception {
    try (Repository repo = repo(); RepositoryLock lock = RepositoryLock.acquire(repo, false)) {
      lock.ensureHeld();
      repo.store().delete(FileType.LOCK.key(lock.id()));
      assertThatThrownBy(lock::ensureHeld).isInstanceOf(LockConflictException.class)
          .hasMessageContaining("removed by another process");
    }
  }

  @Test
  void aLockNotRefreshedForThirtyMinutesIsNoLongerHeld() {
    Instant[] now = {Instant.parse("2026-03-01T10:00:00Z")};
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    try (Repository repo = Repository.init(new InMemoryBlobStore(), RepositoryTest.PW, RepositoryTest.FAST,
        RepositoryOptions.defaults(), clock); RepositoryLock lock = RepositoryLock.acquire(repo, false)) {
      now[0] = now[0].plus(Duration.ofMinutes(29));
      lock.ensureHeld();
      now[0] = now[0].plus(Duration.ofMinutes(1));
      assertThatThrownBy(lock::ensureHeld).isInstanceOf(LockConflictException.class)
          .hasMessageContaining("was not refreshed");
      lock.refresh();
      lock.ensureHeld();
    }
  }

  @Test
  void aConflictMessageSaysHowOldTheOtherLockIs() {
    try (Repository repo = repo()) {
      String time = GoTime.format(ZonedDateTime.now().minusMinutes(3));
      repo.saveFile(FileType.LOCK, Json.write(new LockFile(time, false, "elsewhere", "u", 42, 0, 0)));
      assertThatThrownBy(() -> RepositoryLock.acquire(repo, true)).isInstanceOf(LockConflictException.class)
          .hasMessageContaining("already locked by PID 42 on elsewhere").hasMessageMatching(".*, 1[89]\\d s ago.*");
    }
  }
}
