package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.internal.repo.Repository;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.SampleTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  Path repo;
  Path config;
  Path blobs;
  Cli cli;

  @BeforeEach
  void setUp() throws Exception {
    repo = tmp.resolve("repo");
    cli = Cli.withNewRepository(repo);
    config = Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(config.resolve("app.yml"), "port: 8080\n");
    blobs = tmp.resolve("blobs");
    SampleTrees.writeAwkward(blobs, 1, 7);
  }

  private String backup(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("backup", "--json", "config=" + config, blobs.toString()));
    args.addAll(List.of(extra));
    return JSON.readTree(cli.run(args.toArray(String[]::new)).ok().out()).get("snapshot_id").asText();
  }

  @Test
  void initCreatesAVersion2RepositoryAndRefusesToInitTwice() throws Exception {
    Path fresh = tmp.resolve("fresh/repo");
    Cli c = Cli.on(fresh);
    Cli.Result made = c.run("init").ok();
    assertThat(made.out()).contains("created holdfast repository", fresh.toString());
    assertThat(made.out() + made.err()).doesNotContain(Cli.PASSWORD);
    try (Repository r = Cli.open(fresh)) {
      assertThat(r.version()).isEqualTo(2);
      assertThat(made.out()).contains(r.config().id().substring(0, 10));
    }
    Cli.Result again = c.run("init", "--json");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("holdfast: a repository already exists at " + fresh + "\n");
  }

  @Test
  void backupSnapshotsLsAndRestoreRoundTrip() throws Exception {
    Cli.Result b = cli.run("backup", "--tag", "nightly", "config=" + config, blobs.toString()).ok();
    assertThat(b.out()).containsPattern("snapshot [0-9a-f]{8} saved").contains("dataset config", "dataset blobs");
    String id;
    try (Repository r = Cli.open(repo)) {
      id = r.findSnapshot("latest").id().shortHex();
    }

    Cli.Result snaps = cli.run("snapshots").ok();
    assertThat(snaps.out().lines().findFirst().orElseThrow()).matches("ID +Time +Host +Tags +Paths");
    assertThat(snaps.out()).contains(id, "holdfast,plan:default,nightly", config.toString(), blobs.toString(),
        "1 snapshot\n");

    List<String> all = cli.run("ls", "latest").ok().out().lines().toList();
    assertThat(all.get(0)).startsWith("snapshot " + id + " of [");
    assertThat(all.subList(1, all.size())).contains("/config", "/config/app.yml", "/blobs/docs/deep/deeper",
        "/blobs/docs/readme.txt", "/blobs/link-to-dir", "/blobs/empty-dir", "/.holdfast/manifest.json");
    List<String> docs = cli.run("-q", "ls", id, "blobs/docs/").ok().out().lines().toList();
    assertThat(docs).first().isEqualTo("/blobs/docs");
    assertThat(docs).allMatch(p -> p.startsWith("/blobs/docs")).contains("/blobs/docs/deep/deeper/notes.md");

    Path out = tmp.resolve("out");
    Cli.Result restored = cli.run("restore", "latest", "--target", out.toString()).ok();
    assertThat(restored.out()).contains("restored snapshot " + id);
    assertThat(DirectoryListing.of(out.resolve("blobs"))).isEqualTo(DirectoryListing.of(blobs));
    assertThat(DirectoryListing.of(out.resolve("config"))).isEqualTo(DirectoryListing.of(config));
  }

  @Test
  void globalOptionsWorkBeforeAndAfterTheCommand() {
    Cli bare = new Cli();
    bare.env.put(PasswordSource.HOLDFAST_PASSWORD, Cli.PASSWORD);
    assertThat(bare.run("-r", repo.toString(), "--json", "snapshots").ok().out()).isEqualTo("[]\n");
    assertThat(bare.run("snapshots", "--json", "--repo", repo.toString()).ok().out()).isEqualTo("[]\n");
  }

  @Test
  void everyCommandPrintsParsableJson() throws Exception {
    JsonNode b = JSON.readTree(cli.run("backup", "--json", "--app-version", "1.2", "config=" + config).ok().out());
    assertThat(b.fieldNames()).toIterable().contains("snapshot_id", "gate_hold_ms", "files_new", "files_changed",
        "files_unmodified", "bytes_read", "bytes_added", "duration_ms", "datasets", "warnings");
    assertThat(b.get("files_new").asLong()).isEqualTo(1);
    assertThat(b.get("bytes_read").asLong()).isEqualTo(11);
    assertThat(b.get("datasets").get(0).get("name").asText()).isEqualTo("config");
    assertThat(b.get("datasets").get(0).get("consistency").asText()).isEqualTo("none");
    assertThat(b.get("warnings").toString()).contains("without a gate");
    String id = b.get("snapshot_id").asText();

    JsonNode snaps = JSON.readTree(cli.run("snapshots", "--json").ok().out());
    assertThat(snaps.isArray()).isTrue();
    assertThat(snaps.get(0).get("id").asText()).isEqualTo(id);
    assertThat(snaps.get(0).get("short_id").asText()).isEqualTo(id.substring(0, 8));
    assertThat(snaps.get(0).get("tags").toString()).contains("plan:default");

    JsonNode ls = JSON.readTree(cli.run("ls", "--json", "latest", "/config").ok().out());
    assertThat(ls.get("snapshot").get("id").asText()).isEqualTo(id);
    assertThat(ls.get("nodes").findValuesAsText("path")).containsExactly("/config", "/config/app.yml");
    assertThat(ls.get("nodes").get(1).get("size").asLong()).isEqualTo(11);

    JsonNode restore = JSON.readTree(cli.run("restore", "--json", id.substring(0, 10), "--target",
        tmp.resolve("r").toString()).ok().out());
    assertThat(restore.get("snapshot_id").asText()).isEqualTo(id);
    assertThat(restore.get("files").asLong()).isEqualTo(1);
    assertThat(restore.has("duration_ms")).isTrue();

    JsonNode check = JSON.readTree(cli.run("check", "--json").ok().out());
    assertThat(check.get("ok").asBoolean()).isTrue();
    assertThat(check.get("errors").size()).isZero();
    assertThat(check.get("snapshots").asInt()).isEqualTo(1);
  }

  @Test
  void aGateCommandPairHoldsTheApplicationAroundTheFreeze() throws Exception {
    Path held = tmp.resolve("held");
    Path log = tmp.resolve("gate.log");
    JsonNode b = JSON.readTree(cli.run("backup", "--json",
        "--gate-start", "touch " + held + " && echo start >> " + log,
        "--gate-end", "test -e " + held + " && rm " + held + " && echo end >> " + log,
        "config=" + config).ok().out());
    assertThat(log).hasContent("start\nend");
    assertThat(held).doesNotExist();
    assertThat(b.get("gate_hold_ms").asLong()).isPositive();
    assertThat(b.get("datasets").get(0).get("consistency").asText()).isEqualTo("application");
  }

  @Test
  void aFailingGateStartFailsTheBackupAndStillRunsTheEnd() throws Exception {
    Path ended = tmp.resolve("ended");
    Cli.Result r = cli.run("backup", "--gate-start", "echo cannot flush; exit 3", "--gate-end", "touch " + ended,
        "config=" + config);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("holdfast: backup default failed", "--gate-start command exited with status 3",
        "cannot flush");
    assertThat(ended).exists();
    try (Repository repo2 = Cli.open(repo)) {
      assertThat(repo2.snapshots()).isEmpty();
    }
  }

  @Test
  void restoreRefusesANonEmptyTargetUnlessToldToOverwriteOrSwap() throws Exception {
    backup();
    Path out = tmp.resolve("out");
    cli.run("restore", "latest", "--target", out.toString(), "--dataset", "config").ok();
    Path app = out.resolve("config/app.yml");
    Files.writeString(app, "port: broken\n");
    Files.writeString(out.resolve("config/local-only"), "x");

    Cli.Result refused = cli.run("restore", "latest", "--target", out.toString(), "--dataset", "config");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("not empty");
    assertThat(app).hasContent("port: broken\n");

    cli.run("restore", "latest", "--target", out.toString(), "--dataset", "config", "--overwrite").ok();
    assertThat(app).hasContent("port: 8080\n");
    assertThat(out.resolve("config/local-only")).exists();

    cli.run("restore", "latest", "--target", out.toString(), "--dataset", "config", "--swap").ok();
    assertThat(app).hasContent("port: 8080\n");
    assertThat(out.resolve("config/local-only")).doesNotExist();
    assertThat(out.resolve("blobs")).doesNotExist();

    Cli.Result both = cli.run("restore", "latest", "--target", out.toString(), "--overwrite", "--swap");
    assertThat(both.exit()).isEqualTo(1);
    assertThat(both.err()).contains("--overwrite and --swap");
  }

  @Test
  void restoreAtPicksTheLatestSnapshotAtOrBeforeTheTime() throws Exception {
    String first = backup();
    Instant between = Instant.now();
    Thread.sleep(20);
    Files.writeString(config.resolve("app.yml"), "port: 9090\n");
    String second = backup();
    assertThat(second).isNotEqualTo(first);

    JsonNode asOf = JSON.readTree(cli.run("restore", "--json", "latest", "--at", between.toString(),
        "--target", tmp.resolve("asof").toString(), "--include", "app.yml").ok().out());
    assertThat(asOf.get("snapshot_id").asText()).isEqualTo(first);
    assertThat(tmp.resolve("asof/config/app.yml")).hasContent("port: 8080\n");
    assertThat(tmp.resolve("asof/blobs/docs")).doesNotExist();

    Cli.Result withId = cli.run("restore", first, "--at", between.toString(), "--target", tmp.resolve("x").toString());
    assertThat(withId.exit()).isEqualTo(1);
    assertThat(withId.err()).contains("give latest");
  }
}
