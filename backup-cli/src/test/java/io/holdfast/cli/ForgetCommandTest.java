package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.storage.InMemoryBlobStore;
import io.holdfast.internal.repo.SnapshotFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForgetCommandTest {
  @TempDir Path tmp;
  Path repo;
  Cli cli;

  @BeforeEach
  void setUp() {
    repo = tmp.resolve("repo");
    cli = Cli.withNewRepository(repo);
  }

  /**
   * Snapshots at the given RFC 3339 times (offsets as written), all of one backup's tree, with
   * {@code extraTags} after the plan's tags; the backup's own snapshot is removed. Returns time -> id.
   */
  static Map<String, String> seed(Cli cli, Path repo, Path tmp, List<String> times, String... extraTags)
      throws IOException {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("hello.txt"), "hello forget\n");
    String made = RoundTripTest.JSON.readTree(cli.run("backup", "--json", data.toString()).ok().out())
        .get("snapshot_id").asText();
    // written in memory, then copied without an fsync per file: hundreds of snapshots in a moment
    InMemoryBlobStore mem = new InMemoryBlobStore();
    try (Stream<Path> files = Files.walk(repo)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String key = repo.relativize(p).toString().replace('\\', '/');
        if (key.equals("config") || key.startsWith("keys/") || key.startsWith("snapshots/")) {
          mem.put(key, Files.readAllBytes(p));
        }
      }
    }
    Map<String, String> ids = new LinkedHashMap<>();
    try (Repository r = Repository.open(mem, Cli.PASSWORD.toCharArray(), RepositoryOptions.defaults(),
        Clock.systemUTC())) {
      SnapshotFile f = r.loadSnapshot(Id.parse(made)).file();
      List<String> tags = new ArrayList<>(f.tags());
      tags.addAll(List.of(extraTags));
      for (String t : times) {
        ids.put(t, r.saveSnapshot(new SnapshotFile(t, null, f.tree(), f.paths(), f.hostname(), f.username(),
            f.uid(), f.gid(), null, tags, null, f.programVersion())).hex());
      }
    }
    for (String id : ids.values()) {
      String key = FileType.SNAPSHOT.key(Id.parse(id));
      Files.write(repo.resolve(key), mem.get(key));
    }
    Files.delete(repo.resolve(FileType.SNAPSHOT.key(Id.parse(made))));
    return ids;
  }

  List<String> snapshotIds() {
    try (Repository r = Cli.open(repo)) {
      return r.snapshots().stream().map(s -> s.id().hex()).toList();
    }
  }

  @Test
  void forgetRemovesWhatNoRuleKeepsAndPrintsWhyTheOthersStay() throws IOException {
    Map<String, String> ids = seed(cli, repo, tmp, List.of("2024-05-01T10:00:00Z", "2024-05-02T10:00:00Z",
        "2024-05-02T11:00:00Z", "2024-05-03T09:00:00Z"));

    Cli.Result r = cli.run("forget", "--keep-last", "1", "--keep-daily", "2").ok();

    assertThat(r.out()).contains("Applying policy: keep 1 last, 2 daily snapshots", "keep 2 snapshots:",
        "Reasons", "last #1", "daily #1", "daily #2", "remove 2 snapshots:",
        "removed snapshot " + ids.get("2024-05-01T10:00:00Z").substring(0, 8),
        "removed snapshot " + ids.get("2024-05-02T10:00:00Z").substring(0, 8), "2 snapshots removed");
    assertThat(snapshotIds()).containsExactlyInAnyOrder(ids.get("2024-05-02T11:00:00Z"), ids.get("2024-05-03T09:00:00Z"));
  }

  @Test
  void aDryRunInJsonGivesEveryGroupWithReasonsAndRemovesNothing() throws IOException {
    Map<String, String> ids = seed(cli, repo, tmp, List.of("2024-05-01T10:00:00+02:00", "2024-05-08T10:00:00+02:00"));

    JsonNode out = RoundTripTest.JSON.readTree(
        cli.run("forget", "--json", "--dry-run", "--keep-within", "3d", "--group-by", "host").ok().out());

    assertThat(out.get("dry_run").asBoolean()).isTrue();
    JsonNode g = out.get("groups").get(0);
    assertThat(g.get("group").asText()).startsWith("host=");
    assertThat(g.get("keep").get(0).get("id").asText()).isEqualTo(ids.get("2024-05-08T10:00:00+02:00"));
    assertThat(g.get("keep").get(0).get("time").asText()).isEqualTo("2024-05-08T10:00:00+02:00");
    assertThat(g.get("keep").get(0).get("reasons").get(0).asText()).isEqualTo("within 3d");
    assertThat(g.get("remove").get(0).get("id").asText()).isEqualTo(ids.get("2024-05-01T10:00:00+02:00"));
    assertThat(g.get("remove").get(0).get("reasons").get(0).asText()).isEqualTo("no rule keeps it");
    assertThat(out.get("removed")).isEmpty();
    assertThat(snapshotIds()).hasSize(2);
  }

  @Test
  void thePlanFilterAndKeepTagLimitWhatIsForgotten() throws IOException {
    Map<String, String> ids = seed(cli, repo, tmp, List.of("2024-05-01T10:00:00Z", "2024-05-02T10:00:00Z"), "pinned");
    cli.run("backup", "--plan", "other", tmp.resolve("data").toString()).ok();

    cli.run("forget", "--keep-last", "1", "--plan", "other").ok();
    assertThat(snapshotIds()).hasSize(3);
    Cli.Result r = cli.run("forget", "--keep-last", "1", "--keep-tag", "pinned", "--plan", "default").ok();
    assertThat(r.out()).contains("tag pinned").doesNotContain("removed snapshot");
    assertThat(snapshotIds()).hasSize(3).containsAll(ids.values());
  }

  @Test
  void forgetRefusesToRunWithoutAKeepRule() {
    Cli.Result r = cli.run("forget", "--dry-run");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("refusing to forget without a keep rule", "--keep-last");
  }

  @Test
  void badPolicyOptionsAreUsageErrors() {
    Cli.Result within = cli.run("forget", "--keep-within", "2w");
    assertThat(within.exit()).isEqualTo(1);
    assertThat(within.err()).contains("2w", "Try 'holdfast forget --help'");
    Cli.Result group = cli.run("forget", "--keep-last", "1", "--group-by", "colour");
    assertThat(group.exit()).isEqualTo(1);
    assertThat(group.err()).contains("'colour' is not a grouping");
    Cli.Result negative = cli.run("forget", "--keep-daily", "-1");
    assertThat(negative.exit()).isEqualTo(1);
    assertThat(negative.err()).contains("keep-daily must not be negative");
  }

  @Test
  void aLockedRepositoryExits11AndForgetsNothing() throws IOException {
    seed(cli, repo, tmp, List.of("2024-05-01T10:00:00Z", "2024-05-02T10:00:00Z"));
    try (Repository r = Cli.open(repo); RepositoryLock lock = RepositoryLock.acquire(r, false)) {
      Cli.Result res = cli.run("forget", "--keep-last", "1");
      assertThat(res.exit()).isEqualTo(11);
      assertThat(res.err()).contains("locked");
    }
    assertThat(snapshotIds()).hasSize(2);
  }
}
