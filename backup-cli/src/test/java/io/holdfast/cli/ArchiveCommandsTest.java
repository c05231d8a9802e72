package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.SampleTrees;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchiveCommandsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  Path repo;
  Path blobs;
  Cli cli;
  String snapshot;

  @BeforeEach
  void setUp() throws Exception {
    repo = tmp.resolve("repo");
    cli = Cli.withNewRepository(repo);
    blobs = tmp.resolve("blobs");
    SampleTrees.writeAwkward(blobs, 1, 7);
    snapshot = JSON.readTree(cli.run("backup", "--json", "--app-version", "3.0", blobs.toString()).ok().out())
        .get("snapshot_id").asText();
  }

  private void assertRestoresAsTheSource(String id) {
    Path out = tmp.resolve("restored-" + id);
    cli.run("restore", id, "--target", out.toString()).ok();
    assertThat(DirectoryListing.of(out.resolve("blobs"))).isEqualTo(DirectoryListing.of(blobs));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.tar", "a.tar.gz", "a.tgz", "a.tar.zst", "a.zip"})
  void exportToAFileInfersTheFormatAndImportsBackAsTheSameData(String name) throws Exception {
    Path file = tmp.resolve(name);
    Cli.Result exported = cli.run("export", snapshot.substring(0, 8), "-o", file.toString()).ok();
    assertThat(exported.out()).contains("exported snapshot " + snapshot.substring(0, 8), "to " + file);
    assertThat(tmp).isDirectoryNotContaining("glob:**/.a*partial*");

    JsonNode imported = JSON.readTree(cli.run("import", "--json", "--plan", "moved", "--allow-links-outside",
        file.toString()).ok().out());
    String expected = name.endsWith(".tgz") ? "tar.gz" : name.substring(2);
    assertThat(imported.get("format").asText()).isEqualTo(expected);
    assertThat(imported.get("datasets").toString()).isEqualTo("[\"blobs\"]");
    String id = imported.get("snapshot_id").asText();
    assertRestoresAsTheSource(id);
    assertThat(cli.run("snapshots").ok().out()).contains(id.substring(0, 8), "holdfast,plan:moved");
  }

  @Test
  void exportToStdoutThenGunzipThenImportFromStdin() throws Exception {
    Cli.RawResult exported = cli.runRaw(new byte[0], "export", "latest", "--format", "tar.gz", "--path", "blobs");
    assertThat(exported.exit()).as(exported.err()).isZero();
    assertThat(exported.err()).contains("exported snapshot");
    byte[] tar = new GZIPInputStream(new ByteArrayInputStream(exported.out())).readAllBytes();

    Cli.RawResult imported = cli.runRaw(tar, "import", "--plan", "piped", "--allow-links-outside", "-");
    assertThat(imported.exit()).as(imported.err()).isZero();
    String out = new String(imported.out(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(out).containsPattern("imported snapshot [0-9a-f]{8} of plan piped from tar: datasets blobs");
    assertRestoresAsTheSource("latest");
  }

  @Test
  void aTarOfLooseFilesImportsIntoTheDatasetNamed() throws Exception {
    Path file = tmp.resolve("loose.tar");
    Process p = new ProcessBuilder("tar", "--format=posix", "-cf", file.toString(), "-C", blobs.toString(), ".")
        .redirectErrorStream(true).start();
    assertThat(p.waitFor()).isZero();
    Cli.Result refused = cli.run("import", "--plan", "x", file.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("is not inside a directory");

    cli.run("import", "--plan", "x", "--dataset", "blobs", "--allow-links-outside", file.toString()).ok();
    assertRestoresAsTheSource("latest");
  }

  @Test
  void aHostileArchiveFailsNamingTheEntryAndAddsNoSnapshot() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry e = new TarArchiveEntry("data/../../etc/cron.d/evil");
      e.setSize(1);
      tar.putArchiveEntry(e);
      tar.write('x');
      tar.closeArchiveEntry();
    }
    String before = cli.run("snapshots", "--json").ok().out();
    Cli.RawResult r = cli.runRaw(bytes.toByteArray(), "import", "--plan", "evil");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("holdfast: archive entry 'data/../../etc/cron.d/evil' has a '..' component");
    assertThat(cli.run("snapshots", "--json").ok().out()).isEqualTo(before);

    Cli.RawResult big = cli.runRaw(new byte[0], "export", "latest", "--format", "tar");
    Cli.RawResult limited = cli.runRaw(big.out(), "import", "--plan", "small", "--max-entry-size", "512K",
        "--allow-links-outside");
    assertThat(limited.exit()).isEqualTo(1);
    assertThat(limited.err()).contains("blobs/docs/big.bin", "limit of 524288");
    assertThat(cli.run("snapshots", "--json").ok().out()).isEqualTo(before);
  }

  @Test
  void exportAndImportUseTheUsualExitCodesAndUsageErrors() {
    Cli missing = Cli.on(tmp.resolve("nothing-here"));
    assertThat(missing.run("export", "latest", "-o", tmp.resolve("x.tar").toString()).exit()).isEqualTo(10);
    assertThat(missing.runRaw(new byte[0], "import", "--plan", "p").exit()).isEqualTo(10);

    Cli.Result badFormat = cli.run("export", "latest", "--format", "rar", "-o", tmp.resolve("x").toString());
    assertThat(badFormat.exit()).isEqualTo(1);
    assertThat(badFormat.err()).contains("unknown archive format 'rar'");
    Cli.Result noPlan = cli.run("import", tmp.resolve("x.tar").toString());
    assertThat(noPlan.exit()).isEqualTo(1);
    assertThat(noPlan.err()).contains("--plan");
    Cli.Result atWithId = cli.run("export", snapshot, "--at", "2024-01-01T00:00:00Z", "-o", tmp.resolve("y.tar").toString());
    assertThat(atWithId.exit()).isEqualTo(1);
    assertThat(atWithId.err()).contains("give latest");

    cli.terminal = Cli.interactive(prompt -> Cli.PASSWORD.toCharArray());
    Cli.Result toTerminal = cli.run("export", "latest");
    assertThat(toTerminal.exit()).isEqualTo(1);
    assertThat(toTerminal.err()).contains("refusing to write an archive to a terminal");
    assertThat(tmp.resolve("x.tar")).doesNotExist();
  }

  @Test
  void theAppVersionTravelsWithTheArchive() throws Exception {
    Path file = tmp.resolve("v.tar.zst");
    cli.run("export", "latest", "-o", file.toString()).ok();
    cli.run("import", "--plan", "moved", "--allow-links-outside", file.toString()).ok();
    Path out = tmp.resolve("meta");
    Cli.Result restored = cli.run("restore", "latest", "--target", out.toString(), "--dataset", "blobs");
    restored.ok();
    try (var r = Cli.open(repo)) {
      var snap = r.findSnapshot("latest");
      var root = r.loadTree(io.holdfast.internal.repo.Id.parse(snap.file().tree()));
      var meta = r.loadTree(io.holdfast.internal.repo.Id.parse(root.find(".holdfast").subtree())).find("manifest.json");
      String manifest = new String(r.loadBlob(io.holdfast.internal.repo.BlobType.DATA,
          io.holdfast.internal.repo.Id.parse(meta.content().get(0))), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(JSON.readTree(manifest).get("app_version").asText()).isEqualTo("3.0");
      assertThat(JSON.readTree(manifest).get("plan").asText()).isEqualTo("moved");
    }
  }
}
