package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.BackupEngine;
import io.holdfast.PrunePlan;
import io.holdfast.PruneReport;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.checker.StructureChecker;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.BlobStore;
import io.holdfast.storage.BlobStoreCapabilities;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.ResticCli;
import io.holdfast.testkit.SampleTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A prune that stops at any step (a write or a removal fails) leaves a repository that Holdfast
 * and restic both find sound, whose snapshots all restore, and that the next prune cleans up.
 */
class PruneCrashTest {
  @TempDir Path tmp;

  /** Fails every put or every delete of keys under one prefix. */
  private record Failing(BlobStore delegate, String op, String prefix) implements BlobStore {
    private void check(String o, String key) throws IOException {
      if (o.equals(op) && key.startsWith(prefix)) {
        throw new IOException("injected fault: " + o + " " + key);
      }
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
      check("put", key);
      delegate.put(key, data);
    }

    @Override
    public void put(String key, byte[] data, int off, int len) throws IOException {
      check("put", key);
      delegate.put(key, data, off, len);
    }

    @Override
    public byte[] get(String key) throws IOException {
      return delegate.get(key);
    }

    @Override
    public byte[] get(String key, long offset, int length) throws IOException {
      return delegate.get(key, offset, length);
    }

    @Override
    public BlobInfo stat(String key) throws IOException {
      return delegate.stat(key);
    }

    @Override
    public List<BlobInfo> list(String prefix) throws IOException {
      return delegate.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
      if (!key.startsWith("locks/")) {
        check("delete", key);
      }
      delegate.delete(key);
    }

    @Override
    public BlobStoreCapabilities capabilities() {
      return delegate.capabilities();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"put, data/", "put, index/", "delete, index/", "delete, data/"})
  void aPruneThatStopsAnywhereLeavesASoundRepository(String op, String prefix) throws Exception {
    ResticCli.require();
    Path repoDir = tmp.resolve("repo");
    Path v1 = tmp.resolve("v1");
    Path v2 = tmp.resolve("v2");
    SampleTrees.writeAwkward(v1, 1, 3);
    SampleTrees.writeAwkward(v2, 1, 3);
    SampleTrees.random(v2.resolve("extra.bin"), 700_000, new Random(9));
    Files.delete(v2.resolve(Files.list(v2).filter(Files::isRegularFile).findFirst().orElseThrow().getFileName()));
    Id keep;
    try (Repository repo = TestRepos.init(repoDir)) {
      Id gone = TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", v1));
      keep = TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", v2));
      repo.store().delete(FileType.SNAPSHOT.key(gone));
    }
    BlobStore failing = new Failing(TestRepos.store(repoDir), op, prefix);
    PruneReport failed = BackupEngine.run(PrunePlan.builder(
        io.holdfast.Repository.on(failing, TestRepos.PASSWORD::toCharArray)).maxUnusedPercent(0).build());
    assertThat(failed.failure()).isPresent();
    assertThat(failed.failure().get().message()).contains("injected fault");

    assertSound(repoDir, keep, v2);
    PruneReport after = BackupEngine.run(PrunePlan.builder(
        io.holdfast.Repository.on(TestRepos.store(repoDir), TestRepos.PASSWORD::toCharArray)).maxUnusedPercent(0)
        .build()).orThrow();
    assertThat(after.blobsRemoved() + after.unindexedPacksDeleted()).isPositive();
    assertSound(repoDir, keep, v2);
    try (Repository repo = TestRepos.open(repoDir)) {
      assertThat(new StructureChecker(repo).check().unindexedPacks()).isEmpty();
      assertThat(repo.list(FileType.LOCK)).isEmpty();
    }
  }

  private void assertSound(Path repoDir, Id snapshot, Path expected) throws IOException {
    try (Repository repo = TestRepos.open(repoDir); Restorer r = new Restorer(repo, 2)) {
      assertThat(new StructureChecker(repo).check().problems()).isEmpty();
      Path out = tmp.resolve("out-" + System.nanoTime());
      r.restore(repo.loadSnapshot(snapshot), "data", out);
      assertThat(DirectoryListing.of(out)).isEqualTo(DirectoryListing.of(expected));
    }
    new ResticCli(repoDir, TestRepos.PASSWORD).ok("check", "--read-data");
  }
}
