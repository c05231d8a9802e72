package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
  @TempDir Path tmp;
  Path repo;
  Cli cli;

  @BeforeEach
  void backedUp() throws Exception {
    repo = tmp.resolve("repo");
    cli = Cli.withNewRepository(repo);
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("a.txt"), "alpha\n");
    cli.run("backup", data.toString()).ok();
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
}
