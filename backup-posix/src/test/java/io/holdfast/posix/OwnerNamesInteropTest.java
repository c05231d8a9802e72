package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.repo.Host;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Repository;
import io.holdfast.testkit.ResticCli;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** restic reads the owner names Holdfast stores, and they are the names restic stores itself. */
class OwnerNamesInteropTest {
  @TempDir Path tmp;

  @Test
  void resticFindsTheSameOwnerNamesInAHoldfastSnapshotAsInItsOwn() throws Exception {
    ResticCli.require();
    boolean root = Host.current().uid() == 0;
    if (!root) {
      System.err.println("WARNING: not root: skipping an owner-name interop test that needs chown");
    }
    Assumptions.assumeTrue(root, "needs root to give files other owners (chown)");
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("mine"), "root's");
    owner(Files.writeString(src.resolve("nobodys"), "nobody's"), 65534, 65534);
    Path sub = owner(Files.createDirectories(src.resolve("sub")), 65534, 0);
    owner(Files.writeString(sub.resolve("daemons"), "daemon's"), 1, 1);
    owner(Files.writeString(sub.resolve("unnamed"), "?"), 54321, 54322);
    Path repoDir = tmp.resolve("repo");
    Id holdfast;
    try (Repository repo = TestRepos.init(repoDir)) {
      holdfast = TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", src));
    }
    ResticCli restic = new ResticCli(repoDir, TestRepos.PASSWORD);
    restic.ok("backup", src.toString());
    String resticSnapshot = new ObjectMapper().readTree(restic.ok("snapshots", "--json", "latest").stdout())
        .get(0).get("id").asText();

    Map<String, String> ours = owners(restic, holdfast.hex(), "/data");
    Map<String, String> theirs = owners(restic, resticSnapshot, src.toString());
    assertThat(ours).containsEntry("/nobodys", "65534:65534 nobody:nogroup")
        .containsEntry("/sub", "65534:0 nobody:root")
        .containsEntry("/sub/daemons", "1:1 daemon:daemon")
        .containsEntry("/sub/unnamed", "54321:54322 -:-")
        .containsEntry("/mine", "0:0 root:root")
        .hasSize(6);
    assertThat(ours).isEqualTo(theirs);
  }

  private static Path owner(Path p, int uid, int gid) throws Exception {
    Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    return p;
  }

  /** Per path below {@code prefix} ("" for the prefix itself): "uid:gid user:group" as restic reads it. */
  private static Map<String, String> owners(ResticCli restic, String snapshot, String prefix) throws Exception {
    JsonNode found = new ObjectMapper().readTree(restic.ok("find", "--json", "--snapshot", snapshot, "*").stdout());
    Map<String, String> out = new TreeMap<>();
    for (JsonNode m : found.get(0).get("matches")) {
      String path = m.get("path").asText();
      if (path.equals(prefix) || path.startsWith(prefix + "/")) {
        out.put(path.substring(prefix.length()), m.get("uid").asLong() + ":" + m.get("gid").asLong() + " "
            + m.path("user").asText("-") + ":" + m.path("group").asText("-"));
      }
    }
    return out;
  }
}
