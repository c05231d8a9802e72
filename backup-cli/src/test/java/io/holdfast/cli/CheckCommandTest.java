package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.testkit.ResticCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckCommandTest {
  @TempDir Path tmp;
  Path repo;
  Cli cli;
  String snapshot;

  @BeforeEach
  void backedUp() throws Exception {
    repo = tmp.resolve("repo");
    cli = Cli.withNewRepository(repo);
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("a.txt"), "alpha\n");
    Files.writeString(data.resolve("b.txt"), "beta\n");
    snapshot = RoundTripTest.JSON.readTree(cli.run("backup", "--json", data.toString()).ok().out())
        .get("snapshot_id").asText();
  }

  private PackedBlob blobOf(String content) {
    try (Repository r = Cli.open(repo)) {
      return r.lookup(BlobType.DATA, Id.hash(content.getBytes(StandardCharsets.UTF_8)));
    }
  }

  private Path packFile(Id pack) {
    return repo.resolve(FileType.PACK.key(pack));
  }

  /** Flips one bit inside a blob's ciphertext, where only re-reading the data can see it. */
  private void flipBitIn(PackedBlob blob) throws Exception {
    Path file = packFile(blob.pack());
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) blob.offset() + 18] ^= 1;
    file.toFile().setWritable(true);
    Files.write(file, bytes);
  }

  private JsonNode json(Cli.Result r) throws Exception {
    return RoundTripTest.JSON.readTree(r.out());
  }

  @Test
  void aSoundRepositoryChecksWithExit0() {
    Cli.Result r = cli.run("check").ok();
    assertThat(r.out()).contains("checked 1 snapshots", "no errors were found");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void aDeletedPackIsAnErrorWithExit1() throws Exception {
    Id pack;
    try (Repository r = Cli.open(repo)) {
      pack = r.indexedBlobs().stream().filter(b -> b.type() == BlobType.DATA).findFirst().orElseThrow().pack();
    }
    Files.delete(repo.resolve(FileType.PACK.key(pack)));
    Cli.Result r = cli.run("check");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("error: pack " + pack.shortHex() + " is in the index",
        "holdfast: the repository contains 1 error");
    var json = RoundTripTest.JSON.readTree(cli.run("check", "--json").out());
    assertThat(json.get("ok").asBoolean()).isFalse();
    assertThat(json.get("errors").get(0).get("kind").asText()).isEqualTo("pack_missing");
  }

  @Test
  void aPackNoIndexNamesIsReportedButIsNoError() throws Exception {
    try (Repository r = Cli.open(repo)) {
      for (Id index : r.list(FileType.INDEX)) {
        Files.delete(repo.resolve(FileType.INDEX.key(index)));
      }
    }
    Cli.Result r = cli.run("check");
    assertThat(r.exit()).isEqualTo(1); // the snapshot's trees are no longer indexed
    assertThat(r.out()).contains("not referenced in any index");
    assertThat(r.err()).contains("is not in any index");
  }

  @Test
  void aBitFlipInsideABlobIsFoundByReadDataAndTracedToTheSnapshotAndFile() throws Exception {
    PackedBlob a = blobOf("alpha\n");
    flipBitIn(a);
    cli.run("check").ok(); // the structure check cannot see inside a blob

    Cli.Result r = cli.run("check", "--read-data");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("error: data blob " + a.id().shortHex() + " in pack " + a.pack().shortHex(),
        "does not match its name", "damage report:", "pack " + a.pack().shortHex() + ": 1 of its",
        "snapshot " + snapshot.substring(0, 8), "plan default", "/data/a.txt [pack " + a.pack().shortHex() + "]");
    assertThat(r.err()).doesNotContain("/data/b.txt");
    assertThat(r.out()).contains("reading all data", "read ");

    JsonNode j = json(cli.run("check", "--read-data", "--json"));
    assertThat(j.get("ok").asBoolean()).isFalse();
    assertThat(j.get("read_data").asText()).isEqualTo("all");
    assertThat(j.get("errors").findValuesAsText("check")).containsOnly("data");
    assertThat(j.get("errors").findValuesAsText("kind")).contains("blob_damaged", "pack_hash");
    JsonNode s = j.get("damage").get("snapshots").get(0);
    assertThat(s.get("id").asText()).isEqualTo(snapshot);
    assertThat(s.get("plan").asText()).isEqualTo("default");
    assertThat(s.get("paths").get(0).get("path").asText()).isEqualTo("/data/a.txt");
    assertThat(j.get("damage").get("packs").get(0).get("lost_blobs").get(0).asText()).isEqualTo(a.id().hex());
  }

  @Test
  void aTruncatedPackIsReportedWithTheFilesItLoses() throws Exception {
    PackedBlob b = blobOf("beta\n");
    Path file = packFile(b.pack());
    byte[] bytes = Files.readAllBytes(file);
    file.toFile().setWritable(true);
    Files.write(file, Arrays.copyOf(bytes, (int) b.offset() + 5));
    Cli.Result r = cli.run("check", "--read-data");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("is truncated", "/data/b.txt");
  }

  @Test
  void aDeletedPackIsTracedToItsFilesWithoutReadingData() throws Exception {
    PackedBlob a = blobOf("alpha\n");
    Files.delete(packFile(a.pack()));
    Cli.Result r = cli.run("check");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("damage report:", "snapshot " + snapshot.substring(0, 8), "/data/a.txt");
  }

  @Test
  void subsetGroupsTogetherReadEveryPackOnce() throws Exception {
    int packs = json(cli.run("check", "--json")).get("packs").asInt();
    int read = 0;
    for (int n = 1; n <= 3; n++) {
      JsonNode j = json(cli.run("check", "--json", "--read-data-subset", n + "/3").ok());
      assertThat(j.get("read_data").asText()).isEqualTo(n + "/3");
      read += j.get("packs_read").asInt();
    }
    assertThat(read).isEqualTo(packs);
    JsonNode all = json(cli.run("check", "--json", "--read-data-subset", "100%").ok());
    assertThat(all.get("packs_read").asInt()).isEqualTo(packs);
    assertThat(cli.run("check", "--read-data-subset", "50%").ok().out()).contains("reading data subset 50%");
  }

  @Test
  void badDataOptionsAreUsageErrors() {
    Cli.Result r = cli.run("check", "--read-data-subset", "4/3");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("--read-data-subset", "n/m");
    assertThat(cli.run("check", "--read-data", "--read-data-subset", "1/2").err()).contains("exclude each other");
  }

  @Test
  void badDataOptionsAreReportedBeforeTheRepositoryIsLookedFor() {
    Cli.Result r = Cli.on(tmp.resolve("no-such-repo")).run("check", "--read-data-subset", "4/3");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("--read-data-subset").doesNotContain("no repository");
  }

  @Test
  void aWrongPasswordExitsWith12() {
    cli.env.put(PasswordSource.HOLDFAST_PASSWORD, "not it");
    assertThat(cli.run("check", "--read-data").exit()).isEqualTo(12);
  }

  @Test
  void aRepositoryWrittenByResticPassesReadData() throws Exception {
    ResticCli.require();
    Path resticRepo = tmp.resolve("restic-repo");
    ResticCli restic = new ResticCli(resticRepo, Cli.PASSWORD);
    restic.ok("init");
    Path data = Files.createDirectories(tmp.resolve("restic-data/sub"));
    Files.writeString(data.resolve("one.txt"), "one\n".repeat(5000));
    Files.writeString(data.getParent().resolve("two.txt"), "two\n");
    restic.ok("backup", data.getParent().toString());
    JsonNode j = json(Cli.on(resticRepo).run("check", "--read-data", "--json").ok());
    assertThat(j.get("ok").asBoolean()).isTrue();
    assertThat(j.get("packs_read").asInt()).isEqualTo(j.get("packs").asInt()).isPositive();
  }

  @Test
  void subsetGroupsAreTheGroupsResticReads() throws Exception {
    ResticCli.require();
    Path more = Files.createDirectories(tmp.resolve("more"));
    for (int i = 0; i < 3; i++) { // each backup of new data adds a data pack and a tree pack
      Files.writeString(more.resolve("f" + i + ".txt"), "more " + i + "\n");
      cli.run("backup", more.toString()).ok();
    }
    ResticCli restic = new ResticCli(repo, Cli.PASSWORD);
    java.util.regex.Pattern said = java.util.regex.Pattern.compile("read group #(\\d+) of (\\d+) data packs");
    for (int n = 1; n <= 3; n++) {
      String theirs = restic.ok("check", "--read-data-subset", n + "/3").stdout();
      java.util.regex.Matcher m = said.matcher(theirs);
      assertThat(m.find()).as("restic says which group it reads:%n%s", theirs).isTrue();
      int ours = json(cli.run("check", "--json", "--read-data-subset", n + "/3").ok()).get("packs_read").asInt();
      assertThat(ours).as("packs in group %d/3", n).isEqualTo(Integer.parseInt(m.group(2)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"bit flip", "truncation", "deletion"})
  void aPackWeCallDamagedResticCallsDamagedToo(String damage) throws Exception {
    ResticCli.require();
    ResticCli restic = new ResticCli(repo, Cli.PASSWORD);
    restic.ok("check", "--read-data"); // sound before
    PackedBlob a = blobOf("alpha\n");
    Path file = packFile(a.pack());
    switch (damage) {
      case "bit flip" -> flipBitIn(a);
      case "truncation" -> {
        byte[] bytes = Files.readAllBytes(file);
        file.toFile().setWritable(true);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
      }
      default -> Files.delete(file);
    }
    Cli.Result ours = cli.run("check", "--read-data", "--json");
    assertThat(ours.exit()).isEqualTo(1);
    assertThat(json(ours).get("damage").get("packs").findValuesAsText("id")).containsExactly(a.pack().hex());
    ResticCli.Result theirs = restic.run("check", "--read-data");
    assertThat(theirs.exitCode()).as("restic check --read-data after %s:%n%s%s", damage, theirs.stdout(),
        theirs.stderr()).isNotZero();
    assertThat(theirs.stdout() + theirs.stderr()).contains(a.pack().hex().substring(0, 8));
  }
}
