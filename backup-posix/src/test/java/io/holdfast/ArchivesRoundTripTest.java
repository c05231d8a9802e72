package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Json;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Tree;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArchivesRoundTripTest {
  @TempDir Path tmp;
  ArchiveFixture fx;
  String original;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ArchiveFixture();
    Path data = tmp.resolve("data");
    ArchiveFixture.writeTree(data);
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("app.conf"), "port=8080\n");
    original = fx.backup("app", "data", data, "config", config).hex();
  }

  private byte[] export(Archives.Export export) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    export.writeTo(out);
    return out.toByteArray();
  }

  @ParameterizedTest
  @EnumSource(ArchiveFormat.class)
  void exportThenImportGivesTheSameTreeNodeByNode(ArchiveFormat format) throws Exception {
    byte[] archive = export(Archives.export(fx.repository).snapshot(original.substring(0, 8)).format(format));

    Archives.ImportReport imported = Archives.importInto(fx.repository, "moved").allowLinksOutside()
        .readFrom(new ByteArrayInputStream(archive));

    assertThat(imported.format()).isEqualTo(format.extension());
    assertThat(imported.datasets()).containsExactly("config", "data");
    assertThat(imported.files()).isEqualTo(16);
    try (var repo = fx.open()) {
      Tree before = fx.root(repo, original);
      Tree after = fx.root(repo, imported.snapshotId());
      // zip keeps mtimes to 100 ns (its NTFS field) and no owner names; tar keeps them to the nanosecond, and names
      ArchiveFixture.assertSameTree(repo, ArchiveFixture.withoutMeta(before), ArchiveFixture.withoutMeta(after), "",
          format == ArchiveFormat.ZIP ? 100 : 1, format != ArchiveFormat.ZIP);
      var snap = repo.findSnapshot(imported.snapshotId());
      assertThat(snap.file().tags()).containsExactly("holdfast", "plan:moved");
      assertThat(snap.file().paths()).containsExactly("/holdfast/moved/config", "/holdfast/moved/data");
    }
  }

  @Test
  void theImportWritesAManifestLikeABackupsCarryingTheSourcesAppVersion() throws Exception {
    byte[] archive = export(Archives.export(fx.repository).format(ArchiveFormat.TAR_ZST));
    String id = Archives.importInto(fx.repository, "moved").appVersion("2.1").tag("from-a").allowLinksOutside()
        .readFrom(new ByteArrayInputStream(archive)).snapshotId();
    try (var repo = fx.open()) {
      Node meta = fx.root(repo, id).find(".holdfast");
      Node file = repo.loadTree(Id.parse(meta.subtree())).find("manifest.json");
      JsonNode m = Json.mapper().readTree(repo.loadBlob(BlobType.DATA, Id.parse(file.content().get(0))));
      assertThat(m.get("format").asInt()).isEqualTo(1);
      assertThat(m.get("plan").asText()).isEqualTo("moved");
      assertThat(m.get("app_version").asText()).isEqualTo("2.1");
      assertThat(m.get("gates").size()).isZero();
      assertThat(m.get("datasets").findValuesAsText("name")).containsExactly("config", "data");
      assertThat(m.get("datasets").get(0).get("provider").asText()).isEqualTo("archive");
      assertThat(m.get("datasets").get(0).get("describe").get("imported_from").asText()).isEqualTo("tar.zst");
      assertThat(repo.findSnapshot(id).file().tags()).containsExactly("holdfast", "plan:moved", "from-a");
      assertThat(RestoreRun.recordedAppVersion(repo, fx.root(repo, id))).isEqualTo("2.1");
    }
  }

  @Test
  void aSubtreeExportsFromItsLastComponentDown() throws Exception {
    byte[] dir = export(Archives.export(fx.repository).path("data/docs/deep"));
    assertThat(names(dir)).containsExactly("deep/", "deep/deeper/", "deep/deeper/notes.md");
    byte[] file = export(Archives.export(fx.repository).path("/config/app.conf"));
    assertThat(names(file)).containsExactly("app.conf");
    assertThatThrownBy(() -> export(Archives.export(fx.repository).path("data/nope")))
        .isInstanceOf(HoldfastException.class).hasMessageContaining("'data/nope' is not in the snapshot");
  }

  @Test
  void aWholeSnapshotExportsItsDatasetsAndManifestInTreeOrder() throws Exception {
    String imported = Archives.importInto(fx.repository, "moved").allowLinksOutside()
        .readFrom(new ByteArrayInputStream(export(Archives.export(fx.repository)))).snapshotId();
    List<String> names = names(export(Archives.export(fx.repository).snapshot(imported).format(ArchiveFormat.TAR_GZ)),
        true);
    assertThat(names.subList(0, 4)).containsExactly(".holdfast/", ".holdfast/manifest.json", "config/",
        "config/app.conf");
    assertThat(names).contains("data/docs/" + ArchiveFixture.LONG_NAME, "data/ünïcødé-名前-🙂.txt",
        "data/empty-dir/", "data/new\nline");
  }

  @Test
  void aGzipStreamImportsAsCompressedOrAfterGunzip() throws Exception {
    byte[] gz = export(Archives.export(fx.repository).format(ArchiveFormat.TAR_GZ));
    byte[] plain = new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
    var a = Archives.importInto(fx.repository, "gz").allowLinksOutside().readFrom(new ByteArrayInputStream(gz));
    var b = Archives.importInto(fx.repository, "plain").allowLinksOutside().readFrom(new ByteArrayInputStream(plain));
    assertThat(a.format()).isEqualTo("tar.gz");
    assertThat(b.format()).isEqualTo("tar");
    try (var repo = fx.open()) {
      ArchiveFixture.assertSameTree(repo, ArchiveFixture.withoutMeta(fx.root(repo, a.snapshotId())),
          ArchiveFixture.withoutMeta(fx.root(repo, b.snapshotId())), "");
    }
    assertThat(b.bytesAdded()).isZero(); // every chunk was there already
  }

  @Test
  void latestAsOfAndPlanPickTheSnapshotAsARestoreDoes() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.writeString(other.resolve("x"), "x");
    fx.backup("other", "other", other);
    var r = Archives.export(fx.repository).plan("app").writeTo(new ByteArrayOutputStream());
    assertThat(r.snapshotId()).isEqualTo(original);
    var latest = Archives.export(fx.repository).writeTo(new ByteArrayOutputStream());
    assertThat(latest.snapshotId()).isNotEqualTo(original);
    assertThatThrownBy(() -> Archives.export(fx.repository).asOf(java.time.Instant.EPOCH)
        .writeTo(new ByteArrayOutputStream())).isInstanceOf(HoldfastException.class)
        .hasMessageContaining("at or before 1970-01-01T00:00:00Z");
  }

  @Test
  void zipReportsWhatItCannotHold() throws Exception {
    Path special = Files.createDirectories(tmp.resolve("special"));
    Files.writeString(special.resolve("f"), "f");
    Process p = new ProcessBuilder("mkfifo", special.resolve("pipe").toString()).start();
    assertThat(p.waitFor()).isZero();
    String id = fx.backup("s", "special", special).hex();
    var zip = Archives.export(fx.repository).snapshot(id).format(ArchiveFormat.ZIP).writeTo(new ByteArrayOutputStream());
    assertThat(zip.skipped()).containsExactly("special/pipe: zip cannot hold fifo entries");
    ByteArrayOutputStream tarOut = new ByteArrayOutputStream();
    var tar = Archives.export(fx.repository).snapshot(id).writeTo(tarOut);
    assertThat(tar.skipped()).isEmpty();
    assertThat(tar.others()).isEqualTo(1);
    var back = Archives.importInto(fx.repository, "s2").readFrom(new ByteArrayInputStream(tarOut.toByteArray()));
    try (var repo = fx.open()) {
      ArchiveFixture.assertSameTree(repo, ArchiveFixture.withoutMeta(fx.root(repo, id)),
          ArchiveFixture.withoutMeta(fx.root(repo, back.snapshotId())), "");
    }
  }

  @Test
  void anExportNeverCreatesARepository() throws Exception {
    var empty = new io.holdfast.storage.InMemoryBlobStore();
    Repository creating = Repository.on(empty, ArchiveFixture.PASSWORD::toCharArray).createIfMissing();
    assertThatThrownBy(() -> Archives.export(creating).writeTo(new ByteArrayOutputStream()))
        .isInstanceOf(RepositoryNotFoundException.class);
    assertThat(empty.list("")).isEmpty();
  }

  private static List<String> names(byte[] tar) throws Exception {
    return names(tar, false);
  }

  private static List<String> names(byte[] tar, boolean gzip) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(
        gzip ? new GZIPInputStream(new ByteArrayInputStream(tar)) : new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.add(e.getName());
      }
    }
    return out;
  }
}
