package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.ArchiveFormat;
import io.holdfast.Archives;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.repo.Repository;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.ResticCli;
import io.holdfast.testkit.SampleTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.EnumSource.Mode;

/** Our archives as the real tar reads them, tar's as we import them, and restic on what we import. */
class ArchivesInteropTest {
  @TempDir Path tmp;
  Path src;
  Path repoDir;
  io.holdfast.Repository repository;

  @BeforeEach
  void setUp() throws Exception {
    src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 2, 7);
    assertThat(SampleTrees.fifo(src.resolve("named-pipe"))).as("mkfifo").isTrue();
    repoDir = tmp.resolve("repo");
    TestRepos.init(repoDir).close();
    repository = io.holdfast.Repository.on(TestRepos.store(repoDir), TestRepos.PASSWORD::toCharArray);
  }

  private String backup() {
    try (Repository repo = TestRepos.open(repoDir)) {
      return TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", src)).hex();
    }
  }

  /** Runs a command in {@code dir}; fails the test with its output if it exits non-zero. */
  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s:%n%s", String.join(" ", command), out).isZero();
    return out;
  }

  @ParameterizedTest
  @EnumSource(value = ArchiveFormat.class, mode = Mode.EXCLUDE, names = "ZIP")
  void gnuTarExtractsOurExportsAsTheSourceTree(ArchiveFormat format) throws Exception {
    String id = backup();
    Path archive = tmp.resolve("export." + format.extension());
    try (OutputStream out = Files.newOutputStream(archive)) {
      var report = Archives.export(repository).snapshot(id).path("data").format(format).writeTo(out);
      assertThat(report.skipped()).isEmpty();
    }
    Path out = Files.createDirectories(tmp.resolve("out"));
    String flag = switch (format) {
      case TAR -> "-xf";
      case TAR_GZ -> "-xzf";
      default -> "--zstd";
    };
    List<String> cmd = new ArrayList<>(List.of("tar", flag));
    if (format == ArchiveFormat.TAR_ZST) {
      cmd.add("-xf");
    }
    cmd.addAll(List.of(archive.toString(), "-C", out.toString()));
    run(tmp, cmd.toArray(String[]::new));
    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
    String listing = run(tmp, "tar", "-tvf", archive.toString());
    assertThat(listing).contains("data/docs/big.bin", "data/ünïcødé-名前-🙂.txt", "data/link-to-dir -> docs",
        "data/dangling -> /nonexistent/target");
  }

  @Test
  void hardLinksExportAsTarHardLinksAndImportAsTheSameContent() throws Exception {
    Files.createLink(src.resolve("docs/big-again.bin"), src.resolve("docs/big.bin"));
    String id = backup();
    Path archive = tmp.resolve("links.tar");
    try (OutputStream out = Files.newOutputStream(archive)) {
      Archives.export(repository).snapshot(id).path("data").writeTo(out);
    }
    long bothCopies;
    try (var walk = Files.walk(src)) {
      bothCopies = walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .mapToLong(p -> p.toFile().length()).sum();
    }
    assertThat(Files.size(archive)).as("the linked data is in the archive once")
        .isLessThan(bothCopies - Files.size(src.resolve("docs/big.bin")) + (64 << 10));
    Path out = Files.createDirectories(tmp.resolve("out"));
    run(tmp, "tar", "-xf", archive.toString(), "-C", out.toString());
    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
    assertThat(Files.isSameFile(out.resolve("data/docs/big.bin"), out.resolve("data/docs/big-again.bin"))).isTrue();

    var imported = Archives.importInto(repository, "links").allowLinksOutside().readFrom(archive);
    try (Repository repo = TestRepos.open(repoDir);
        io.holdfast.internal.restorer.Restorer r = new io.holdfast.internal.restorer.Restorer(repo, 2)) {
      r.restore(repo.findSnapshot(imported.snapshotId()), "data", tmp.resolve("restored"));
    }
    assertThat(DirectoryListing.of(tmp.resolve("restored"))).isEqualTo(DirectoryListing.of(src));
  }

  @Test
  void hardLinkGroupsSurviveATarExportAndImportForHoldfastAndResticRestores() throws Exception {
    Path linked = tmp.resolve("linked");
    HardLinkRestoreTest.writeLinkedTree(linked);
    String id;
    try (Repository repo = TestRepos.open(repoDir)) {
      id = TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", linked)).hex();
    }
    Path archive = tmp.resolve("links.tar");
    try (OutputStream out = Files.newOutputStream(archive)) {
      Archives.export(repository).snapshot(id).path("data").writeTo(out);
    }
    assertThat(run(tmp, "tar", "-tvf", archive.toString())).contains("data/docs/a-again link to data/docs/a");

    String imported = importAndRestoreLinked(archive, "data", tmp.resolve("holdfast-out"), linked);

    ResticCli.require();
    Path theirs = tmp.resolve("restic-out");
    new ResticCli(repoDir, TestRepos.PASSWORD).ok("restore", imported, "--target", theirs.toString());
    assertThat(DirectoryListing.hardLinkGroups(theirs.resolve("data"))).isEqualTo(HardLinkRestoreTest.GROUPS);
  }

  @Test
  void gnuTarHardLinksImportAsLinkedFiles() throws Exception {
    Path linked = tmp.resolve("linked");
    HardLinkRestoreTest.writeLinkedTree(linked);
    Path archive = tmp.resolve("gnu.tar");
    // pax format, so that mtimes keep their nanoseconds
    run(tmp, "tar", "--format=posix", "-cf", archive.toString(), "-C", tmp.toString(), "linked");

    importAndRestoreLinked(archive, "linked", tmp.resolve("out"), linked);
  }

  /**
   * Imports {@code archive}, restores its {@code dataset} to {@code out} with Holdfast and checks
   * that it is {@code source}, hard links included; returns the imported snapshot's id.
   */
  private String importAndRestoreLinked(Path archive, String dataset, Path out, Path source) {
    String imported = Archives.importInto(repository, "imported").readFrom(archive).snapshotId();
    try (Repository repo = TestRepos.open(repoDir);
        io.holdfast.internal.restorer.Restorer r = new io.holdfast.internal.restorer.Restorer(repo, 2)) {
      assertThat(r.restore(repo.findSnapshot(imported), dataset, out).skipped()).isEmpty();
    }
    assertThat(DirectoryListing.hardLinkGroups(out)).isEqualTo(HardLinkRestoreTest.GROUPS);
    assertThat(DirectoryListing.of(out)).isEqualTo(DirectoryListing.of(source));
    return imported;
  }

  @Test
  void unzipExtractsOurZipExportsAsTheSourceTreeBarTheFifo() throws Exception {
    Files.delete(src.resolve("named-pipe"));
    // unzip drops control characters from the names it extracts (our own import keeps them)
    Files.delete(src.resolve("new\nline"));
    Files.delete(src.resolve("tab\there"));
    String id = backup();
    Path archive = tmp.resolve("export.zip");
    try (OutputStream out = Files.newOutputStream(archive)) {
      Archives.export(repository).snapshot(id).path("data").format(ArchiveFormat.ZIP).writeTo(out);
    }
    Path out = Files.createDirectories(tmp.resolve("out"));
    run(out, "unzip", "-q", archive.toString());
    // unzip restores file times to the second (its extended timestamp) and leaves directory times alone
    var theirs = DirectoryListing.of(out.resolve("data"), false);
    var ours = DirectoryListing.of(src, false);
    assertThat(theirs.keySet()).isEqualTo(ours.keySet());
    ours.forEach((path, e) -> {
      var t = theirs.get(path);
      assertThat(List.of(t.type(), String.valueOf(t.perms()), t.size(), String.valueOf(t.sha256()),
          String.valueOf(t.target()))).as(path)
          .isEqualTo(List.of(e.type(), String.valueOf(e.perms()), e.size(), String.valueOf(e.sha256()),
              String.valueOf(e.target())));
      if (e.mtimeMicros() != null && e.type().equals("file")) {
        assertThat(t.mtimeMicros() / 1_000_000).as("mtime of %s", path).isEqualTo(e.mtimeMicros() / 1_000_000);
      }
    });
  }

  @Test
  void aTarMadeByGnuTarImportsAndRestoresAsTheSourceTreeWithResticToo() throws Exception {
    ResticCli.require();
    Path archive = tmp.resolve("gnu.tar");
    run(tmp, "tar", "--format=posix", "-cf", archive.toString(), "-C", src.toString(), ".");
    var report = Archives.importInto(repository, "imported").dataset("data").allowLinksOutside().readFrom(archive);
    assertThat(report.datasets()).containsExactly("data");
    assertThat(report.format()).isEqualTo("tar");

    ResticCli restic = new ResticCli(repoDir, TestRepos.PASSWORD);
    Path out = assertResticChecksAndRestoresTheSource(restic, report.snapshotId());
    assertThat(out.resolve(".holdfast/manifest.json")).content().contains("\"plan\" : \"imported\"");
    String snapshots = restic.ok("snapshots", "--json").stdout();
    assertThat(snapshots).contains("\"tags\":[\"holdfast\",\"plan:imported\"]");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"gnu", "posix"})
  void sparseFilesFromGnuTarImportWithTheirFullContent(String tarFormat) throws Exception {
    Path sparse = Files.createDirectories(tmp.resolve("sparse"));
    try (var f = new java.io.RandomAccessFile(sparse.resolve("disk.img").toFile(), "rw")) {
      f.setLength(12 << 20);
      f.seek(5 << 20);
      f.write("in the middle".getBytes(StandardCharsets.UTF_8));
    }
    Files.setLastModifiedTime(sparse.resolve("disk.img"), java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
    Path archive = tmp.resolve("sparse.tar");
    run(tmp, "tar", "--format=" + tarFormat, "--sparse", "-cf", archive.toString(), "-C", sparse.toString(), "disk.img");
    var report = Archives.importInto(repository, "sparse").dataset("data").readFrom(archive);
    Path out = tmp.resolve("sparse-out");
    try (Repository repo = TestRepos.open(repoDir);
        io.holdfast.internal.restorer.Restorer r = new io.holdfast.internal.restorer.Restorer(repo, 2)) {
      r.restore(repo.findSnapshot(report.snapshotId()), "data", out);
    }
    assertThat(DirectoryListing.of(out)).isEqualTo(DirectoryListing.of(sparse));
  }

  @Test
  void anExportImportedElsewhereRestoresWithResticAsTheSource() throws Exception {
    ResticCli.require();
    String id = backup();
    Path archive = tmp.resolve("moved.tar.zst");
    try (OutputStream out = Files.newOutputStream(archive)) {
      Archives.export(repository).snapshot(id).format(ArchiveFormat.TAR_ZST).writeTo(out);
    }
    // another cluster: another repository, another chunker polynomial
    Path otherDir = tmp.resolve("other");
    TestRepos.init(otherDir).close();
    var other = io.holdfast.Repository.on(TestRepos.store(otherDir), TestRepos.PASSWORD::toCharArray);
    try (var in = Files.newInputStream(archive)) {
      var report = Archives.importInto(other, "moved").allowLinksOutside().readFrom(in);
      assertThat(report.format()).isEqualTo("tar.zst");
      assertResticChecksAndRestoresTheSource(new ResticCli(otherDir, TestRepos.PASSWORD), report.snapshotId());
    }
  }

  /** restic check --read-data passes, and restic restores the snapshot's data as the source tree. */
  private Path assertResticChecksAndRestoresTheSource(ResticCli restic, String snapshotId) {
    restic.ok("check", "--read-data");
    Path out = tmp.resolve("restic-out");
    restic.ok("restore", snapshotId, "--target", out.toString());
    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
    return out;
  }
}
