package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.spi.ExternalReferenceReleaser;
import io.holdfast.storage.InMemoryBlobStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ForgetTest {
    InMemoryBlobStore store;
  Repository repo;
  MutableClock clock;
  BackupEngine engine;
  FakeReleaser releaser;

  /** Owns {@code ebs_snapshot} entries; fails to release values in {@code failing}. */
  static final class FakeReleaser implements ExternalReferenceReleaser {
    final List<String> released = new CopyOnWriteArrayList<>();
    final Set<String> failing;

    FakeReleaser(String... failing) {
      this.failing = Set.of(failing);
    }

    @Override
    public boolean owns(String key, String value) {
      return key.startsWith("ebs_snapshot");
    }

    @Override
    public void release(String key, String value) throws IOException {
      if (failing.contains(value)) {
        throw new IOException("snapshot " + value + " is in use");
      }
      released.add(value);
    }
  }

  @BeforeEach
  void setUp() {
    store = new InMemoryBlobStore();
    repo = MemoryRepos.create(store);
    clock = new MutableClock(Instant.parse("2024-01-01T12:00:00Z"), ZoneOffset.UTC);
    engine = BackupEngine.builder().clock(clock).build();
    releaser = new FakeReleaser();
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  /** A day later, one backup of {@code plan} recording {@code ebs} (and a descriptive size). */
  String backup(String plan, String... ebs) {
    clock.advance(Duration.ofDays(1));
    Map<String, String> refs = new java.util.HashMap<>(Map.of("size_gib", "100"));
    for (int i = 0; i < ebs.length; i++) {
      refs.put(i == 0 ? "ebs_snapshot" : "ebs_snapshot_" + i, ebs[i]);
    }
    BackupPlan p = BackupPlan.builder(plan).repository(repo).dataset(new RefDataset("volume", () -> refs)).build();
    return engine.backup(p).orThrow().snapshotId().orElseThrow();
  }

  ForgetPlan.Builder forget(RetentionPolicy policy) {
    return ForgetPlan.builder(repo).policy(policy).releaser(releaser);
  }

  List<String> snapshotIds() {
    return MemoryRepos.snapshotIds(store);
  }

  List<String> keys(String prefix) throws IOException {
    return store.list(prefix).stream().map(b -> b.key()).sorted().toList();
  }

  @Test
  void forgetDeletesTheSnapshotFilesThePolicyDoesNotKeepAndNeverAPack() throws IOException {
    String s1 = backup("db", "snap-1");
    String s2 = backup("db", "snap-2");
    String s3 = backup("db", "snap-3");
    List<String> packs = keys("data/");
    List<String> index = keys("index/");

    ForgetReport r = engine.forget(forget(RetentionPolicy.builder().keepLast(2).build()).build()).orThrow();

    assertThat(r.kept()).extracting(d -> d.snapshot().id()).containsExactly(s3, s2);
    assertThat(r.kept()).extracting(RetentionDecision::reasons).containsExactly(List.of("last #1"), List.of("last #2"));
    assertThat(r.removed()).extracting(d -> d.snapshot().id()).containsExactly(s1);
    assertThat(r.removed().get(0).reasons()).containsExactly(RetentionDecision.NO_RULE);
    assertThat(r.deleted()).containsExactly(s1);
    assertThat(snapshotIds()).containsExactlyInAnyOrder(s2, s3);
    assertThat(keys("data/")).isEqualTo(packs);
    assertThat(keys("index/")).isEqualTo(index);
    assertThat(keys("locks/")).as("the lock is gone").isEmpty();
    assertThat(r.phases()).extracting(PhaseChange::phase).endsWith(Phase.SUCCEEDED);
    assertThat(r.releases()).containsExactly(new ForgetReport.Release("ebs_snapshot", "snap-1",
        ForgetReport.Outcome.RELEASED, null));
    assertThat(releaser.released).containsExactly("snap-1");
  }

  @Test
  void aDryRunSaysWhatWouldGoAndWhyAndChangesNothing() throws IOException {
    String s1 = backup("db", "snap-1");
    backup("db", "snap-2");
    List<String> before = snapshotIds();

    ForgetReport r = engine.forget(forget(RetentionPolicy.builder().keepLast(1).build()).dryRun(true).build())
        .orThrow();

    assertThat(r.dryRun()).isTrue();
    assertThat(r.removed()).extracting(d -> d.snapshot().id()).containsExactly(s1);
    assertThat(r.deleted()).isEmpty();
    assertThat(r.releases()).containsExactly(new ForgetReport.Release("ebs_snapshot", "snap-1",
        ForgetReport.Outcome.WOULD_RELEASE, null));
    assertThat(snapshotIds()).isEqualTo(before);
    assertThat(releaser.released).isEmpty();
  }

  @Test
  void aReferenceAKeptSnapshotStillRecordsIsNeverReleased() {
    backup("db", "snap-a");
    backup("db", "snap-shared");
    backup("db", "snap-shared"); // the kept one: an EBS snapshot reused by an incremental run

    ForgetReport r = engine.forget(forget(RetentionPolicy.builder().keepLast(1).build()).build()).orThrow();

    assertThat(r.removed()).hasSize(2);
    assertThat(releaser.released).containsExactly("snap-a");
    assertThat(r.releases()).extracting(ForgetReport.Release::value).containsExactly("snap-a")
        .as("size_gib is not owned by the releaser").doesNotContain("100");
  }

  @Test
  void snapshotsOfOtherPlansCountAsKeptThoughThePlanFilterLeavesThemOut() {
    String db1 = backup("db", "snap-x");
    String other = backup("web", "snap-x");
    String db2 = backup("db", "snap-y");

    ForgetReport r = engine.forget(forget(RetentionPolicy.builder().keepLast(1).build()).plan("db").build())
        .orThrow();

    assertThat(r.kept()).extracting(d -> d.snapshot().id()).containsExactly(db2);
    assertThat(r.removed()).extracting(d -> d.snapshot().id()).containsExactly(db1);
    assertThat(r.kept()).extracting(d -> d.snapshot().id()).doesNotContain(other);
    assertThat(releaser.released).as("plan web still records snap-x").isEmpty();
    assertThat(r.releases()).isEmpty();
  }

  @Test
  void aFailedReleaseIsReportedAndTheOthersAreStillReleased() {
    releaser = new FakeReleaser("snap-1");
    backup("db", "snap-1");
    backup("db", "snap-2");
    backup("db", "snap-3");

    ForgetReport r = engine.forget(forget(RetentionPolicy.builder().keepLast(1).build()).build()).orThrow();

    assertThat(r.releases()).containsExactlyInAnyOrder(
        new ForgetReport.Release("ebs_snapshot", "snap-1", ForgetReport.Outcome.FAILED, "snapshot snap-1 is in use"),
        new ForgetReport.Release("ebs_snapshot", "snap-2", ForgetReport.Outcome.RELEASED, null));
    assertThat(r.warnings()).anyMatch(w -> w.contains("snap-1") && w.contains("left in place"));
    assertThat(releaser.released).containsExactly("snap-2");
  }

  @Test
  void forgetTakesTheExclusiveLockAndFailsWhileAnotherProcessHoldsOne() throws IOException {
    String s1 = backup("db", "snap-1");
    backup("db", "snap-2");
    try (io.holdfast.internal.repo.Repository open = io.holdfast.internal.repo.Repository.open(store,
        MemoryRepos.PASSWORD.toCharArray(), RepositoryOptions.defaults(), clock);
        RepositoryLock shared = RepositoryLock.acquire(open, false)) {
      ForgetReport r = engine.forget(forget(RetentionPolicy.builder().keepLast(1).build()).build());
      assertThat(r.succeeded()).isFalse();
      assertThat(r.failure().orElseThrow().cause()).isInstanceOf(LockConflictException.class);
      assertThat(r.deleted()).isEmpty();
      assertThat(snapshotIds()).contains(s1);
      assertThatThrownBy(r::orThrow).isInstanceOf(HoldfastException.class).hasMessageContaining("locked");
      // a dry run only reads: a shared lock beside the other shared one is fine
      assertThat(engine.forget(forget(RetentionPolicy.builder().keepLast(1).build()).dryRun(true).build())
          .succeeded()).isTrue();
    }
  }

  @Test
  void aSnapshotThatCannotBeDeletedStillHoldsItsReferencesAndTheForgetFails() throws IOException {
    String s1 = backup("db", "snap-x");
    String s2 = backup("db", "snap-x", "snap-y");
    backup("db", "snap-z");
    String stuck = FileType.SNAPSHOT.key(io.holdfast.internal.repo.Id.parse(s1));
    Repository undeletable = Repository.on(new io.holdfast.storage.BlobStore() {
      @Override
      public void put(String key, byte[] data) throws IOException {
        store.put(key, data);
      }

      @Override
      public byte[] get(String key) throws IOException {
        return store.get(key);
      }

      @Override
      public byte[] get(String key, long offset, int length) throws IOException {
        return store.get(key, offset, length);
      }

      @Override
      public io.holdfast.storage.BlobInfo stat(String key) throws IOException {
        return store.stat(key);
      }

      @Override
      public List<io.holdfast.storage.BlobInfo> list(String prefix) throws IOException {
        return store.list(prefix);
      }

      @Override
      public void delete(String key) throws IOException {
        if (key.equals(stuck)) {
          throw new IOException("permission denied");
        }
        store.delete(key);
      }

      @Override
      public io.holdfast.storage.BlobStoreCapabilities capabilities() {
        return store.capabilities();
      }
    }, MemoryRepos.PASSWORD::toCharArray);

    ForgetReport r = engine.forget(ForgetPlan.builder(undeletable).policy(RetentionPolicy.builder().keepLast(1).build())
        .releaser(releaser).build());

    assertThat(r.succeeded()).isFalse();
    assertThat(r.failure().orElseThrow().message()).contains("permission denied", "run forget again");
    assertThat(r.deleted()).containsExactly(s2);
    assertThat(snapshotIds()).contains(s1).doesNotContain(s2);
    assertThat(releaser.released).as("snap-x is still recorded by the snapshot that stayed").containsExactly("snap-y");
    assertThat(keys("locks/")).isEmpty();
  }

  @Test
  void anEmptyPolicyIsRefused() {
    assertThatThrownBy(() -> ForgetPlan.builder(repo).policy(RetentionPolicy.builder().build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refusing to forget");
    assertThatThrownBy(() -> ForgetPlan.builder(repo).build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void backupPlanCarriesItsRetentionThroughToBuilder() {
    RetentionPolicy p = RetentionPolicy.builder().keepDaily(7).build();
    BackupPlan plan = BackupPlan.builder("db").repository(repo).dataset(new RefDataset("v", Map::of))
        .retention(p).build();
    assertThat(plan.retention()).contains(p);
    assertThat(plan.toBuilder().build().retention()).contains(p);
    assertThat(plan.toBuilder().retention(null).build().retention()).isEmpty();
  }
}
