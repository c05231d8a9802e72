package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.BackupEngine;
import io.holdfast.PrunePlan;
import io.holdfast.PruneReport;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Repository;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.ResticCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real restic checks and restores what a Holdfast prune left, in Holdfast's and in restic's own repositories. */
class PruneResticInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  Path repoDir;
  ResticCli restic;
  final Random random = new Random(5);
  final io.holdfast.Repository repository() {
    return io.holdfast.Repository.on(TestRepos.store(repoDir), TestRepos.PASSWORD::toCharArray);
  }

  @BeforeEach
  void setUp() {
    ResticCli.require();
    repoDir = tmp.resolve("repo");
    restic = new ResticCli(repoDir, TestRepos.PASSWORD);
  }

  /** Three versions of a directory: some files stay, some go, some come. */
  private void change(Path dir, int round) throws IOException {
    Files.createDirectories(dir.resolve("sub"));
    if (round > 0) {
      Files.delete(dir.resolve("gone-" + (round - 1) + ".bin"));
    }
    write(dir.resolve("gone-" + round + ".bin"), 400_000);
    write(dir.resolve("kept-" + round + ".bin"), 250_000);
    write(dir.resolve("sub/small-" + round + ".txt"), 900);
    write(dir.resolve("sub/big-" + round + ".bin"), 1_500_000);
  }

  private void write(Path file, int size) throws IOException {
    byte[] b = new byte[size];
    random.nextBytes(b);
    Files.write(file, b);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    try (Stream<Path> s = Files.walk(from)) { // directory times after their contents
      for (Path p : s.filter(Files::isDirectory).toList()) {
        Files.setLastModifiedTime(to.resolve(from.relativize(p).toString()), Files.getLastModifiedTime(p));
      }
    }
  }

  private List<String> resticSnapshotIds() throws IOException {
    List<String> ids = new ArrayList<>();
    for (JsonNode n : JSON.readTree(restic.ok("snapshots", "--json").stdout())) {
      ids.add(n.get("id").asText());
    }
    return ids;
  }

  /** Replaces restic's key file by one with a fast key derivation, so that every later open is quick. */
  private void fastKeyOnly() throws IOException {
    try (Repository repo = TestRepos.open(repoDir)) {
      Id slow = repo.keyId();
      repo.addKey(TestRepos.PASSWORD.toCharArray(), TestRepos.FAST);
      repo.store().delete(io.holdfast.internal.repo.FileType.KEY.key(slow));
    }
  }

  private PruneReport prune() {
    PruneReport report = BackupEngine.run(PrunePlan.builder(repository()).maxUnusedPercent(0).build()).orThrow();
    assertThat(report.packsDeleted() + report.packsRepacked()).isPositive();
    assertThat(report.blobsRemoved()).isPositive();
    restic.ok("check", "--read-data");
    return report;
  }

  @Test
  void resticChecksAndRestoresARepositoryHoldfastWroteAndPruned() throws Exception {
    Path src = tmp.resolve("src");
    Map<String, Path> versions = new LinkedHashMap<>();
    try (Repository repo = TestRepos.init(repoDir)) {
      for (int round = 0; round < 3; round++) {
        change(src, round);
        Path copy = tmp.resolve("v" + round);
        copy(src, copy);
        Id id = TestRepos.backup(repo, new BackupStats(), round > 0, new Archiver.Source("data", copy));
        versions.put(id.hex(), copy);
      }
    }
    String first = versions.keySet().iterator().next();
    restic.ok("forget", first);
    versions.remove(first);

    PruneReport report = prune();
    assertThat(report.snapshots()).isEqualTo(2);
    assertThat(resticSnapshotIds()).containsExactlyInAnyOrderElementsOf(versions.keySet());
    for (Map.Entry<String, Path> v : versions.entrySet()) {
      Path out = tmp.resolve("out-" + v.getKey());
      restic.ok("restore", v.getKey(), "--target", out.toString());
      assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(v.getValue()));
    }
    // and a second prune finds nothing more to do
    PruneReport again = BackupEngine.run(PrunePlan.builder(repository()).maxUnusedPercent(0).build()).orThrow();
    assertThat(again.packsDeleted() + again.packsRepacked() + again.indexFilesWritten()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void resticChecksAndRestoresItsOwnRepositoryAfterHoldfastPrunedIt(int version) throws Exception {
    restic.ok("init", "--repository-version", Integer.toString(version));
    fastKeyOnly();
    Path src = tmp.resolve("src");
    List<Path> copies = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      change(src, round);
      Path copy = tmp.resolve("v" + round);
      copy(src, copy);
      copies.add(copy);
      restic.ok("backup", src.toString());
    }
    List<String> ids = resticSnapshotIds(); // oldest first
    restic.ok("forget", ids.get(0));

    PruneReport report = prune();
    assertThat(report.snapshots()).isEqualTo(2);
    for (int i = 1; i < 3; i++) {
      Path out = tmp.resolve("out-" + i);
      restic.ok("restore", ids.get(i), "--target", out.toString());
      assertThat(DirectoryListing.of(out.resolve(src.toString().substring(1)))).as("snapshot %d", i)
          .isEqualTo(DirectoryListing.of(copies.get(i)));
    }
  }
}
