package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneCommandTest {
  @TempDir Path tmp;
  Path repo;
  Cli cli;
  Path first;
  Path second;

  @BeforeEach
  void twoBackupsTheFirstForgotten() throws Exception {
    repo = tmp.resolve("repo");
    cli = Cli.withNewRepository(repo);
    first = data("first");
    second = data("second");
    cli.run("backup", first.toString()).ok();
    List<Id> before;
    try (Repository r = Cli.open(repo)) {
      before = r.list(FileType.SNAPSHOT);
    }
    cli.run("backup", second.toString()).ok();
    Files.delete(repo.resolve(FileType.SNAPSHOT.key(before.get(0)))); // forget the first
  }

  private Path data(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    byte[] b = new byte[300_000];
    new Random(name.hashCode()).nextBytes(b);
    Files.write(dir.resolve(name + ".bin"), b);
    return dir;
  }

  private List<String> repoFiles() throws IOException {
    try (Stream<Path> s = Files.walk(repo)) {
      return s.filter(Files::isRegularFile).map(p -> repo.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void aDryRunSaysWhatWouldGoAndChangesNothing() throws Exception {
    List<String> before = repoFiles();
    Cli.Result r = cli.run("prune", "--dry-run").ok();
    assertThat(r.out()).contains("1 snapshots use", "would delete 2 unused packs", "dry run: nothing was changed");
    assertThat(repoFiles()).isEqualTo(before);
  }

  @Test
  void pruneRemovesTheForgottenSnapshotsDataAndReportsItAsJson() throws Exception {
    JsonNode json = RoundTripTest.JSON.readTree(cli.run("prune", "--json", "--max-unused", "0%").ok().out());
    assertThat(json.get("dry_run").asBoolean()).isFalse();
    assertThat(json.get("snapshots").asInt()).isEqualTo(1);
    assertThat(json.get("packs_deleted").asInt() + json.get("packs_repacked").asInt()).isPositive();
    assertThat(json.get("bytes_freed").asLong()).isGreaterThanOrEqualTo(300_000);
    assertThat(json.get("index_files_written").asInt()).isEqualTo(1);
    assertThat(cli.run("check").ok().out()).contains("no errors were found");
    Cli.Result again = cli.run("prune").ok();
    assertThat(again.out()).contains("delete 0 unused packs, 0 packs no index names, and repack 0 packs");
    cli.run("restore", "latest", "--target", tmp.resolve("out").toString()).ok();
  }

  @Test
  void pruneWhileAnotherProcessHoldsALockIsExit11NamingTheHolder() {
    try (Repository r = Cli.open(repo); RepositoryLock lock = RepositoryLock.acquire(r, false)) {
      Cli.Result p = cli.run("prune");
      assertThat(p.exit()).isEqualTo(11);
      assertThat(p.err()).contains("cannot prune", "PID " + ProcessHandle.current().pid(), lock.id().shortHex(),
          "give it a lock wait");
      assertThat(p.err().lines()).hasSize(1);
    }
  }

  @Test
  void aMaxUnusedThatIsNoPercentageIsAUsageError() {
    Cli.Result r = cli.run("prune", "--max-unused", "150%");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("--max-unused must be a percentage");
    assertThat(cli.run("prune", "--max-unused", "unlimited", "-n").ok().out()).contains("repack 0 packs");
  }
}
