package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.testkit.ResticCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResticInteropTest {
  @TempDir Path tmp;

  @Test
  void resticListsAndChecksTheSnapshotTheCommandMade() throws Exception {
    ResticCli.require();
    Path repo = tmp.resolve("repo");
    Cli cli = Cli.withNewRepository(repo);
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("hello.txt"), "hello restic\n");
    String id = RoundTripTest.JSON.readTree(cli.run("backup", "--json", "--tag", "interop", data.toString()).ok().out())
        .get("snapshot_id").asText();

    ResticCli restic = new ResticCli(repo, Cli.PASSWORD);
    assertThat(restic.ok("snapshots", "--json").stdout()).contains(id, "\"interop\"", "\"plan:default\"");
    assertThat(restic.ok("ls", id.substring(0, 8)).stdout()).contains("/data/hello.txt");
    assertThat(restic.ok("dump", id, "/data/hello.txt").stdout()).isEqualTo("hello restic\n");
    restic.ok("check");
  }
}
