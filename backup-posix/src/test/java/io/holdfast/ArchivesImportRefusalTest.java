package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.internal.repo.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile archives are refused with an error naming the entry, and no snapshot appears. */
class ArchivesImportRefusalTest {
  ArchiveFixture fx;
  List<String> before;

  @BeforeEach
  void setUp() {
    fx = new ArchiveFixture();
    before = fx.snapshotIds();
  }

  /** Builds a tar of the given entries: (name, type) and for files their content. */
  private static final class Tar {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());

    Tar() {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    Tar file(String name, String content) throws IOException {
      byte[] b = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
      e.setSize(b.length);
      out.putArchiveEntry(e);
      out.write(b);
      out.closeArchiveEntry();
      return this;
    }

    Tar dir(String name) throws IOException {
      return entry(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true));
    }

    Tar link(String name, byte type, String target) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, type, true);
      e.setLinkName(target);
      return entry(e);
    }

    Tar entry(TarArchiveEntry e) throws IOException {
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
      return this;
    }

    byte[] done() throws IOException {
      out.finish();
      out.close();
      return bytes.toByteArray();
    }
  }

  private void assertRefused(Archives.Import imp, byte[] archive, String... message) {
    assertThatThrownBy(() -> imp.readFrom(new ByteArrayInputStream(archive)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContainingAll(message);
    assertThat(fx.snapshotIds()).as("snapshots after a refused import").isEqualTo(before);
  }

  private void assertRefused(byte[] archive, String... message) {
    assertRefused(Archives.importInto(fx.repository, "hostile"), archive, message);
  }

  @Test
  void absoluteNamesAreRefused() throws Exception {
    assertRefused(new Tar().dir("data").file("/etc/passwd", "x").done(), "'/etc/passwd'", "absolute name");
  }

  @Test
  void dotDotComponentsAreRefused() throws Exception {
    assertRefused(new Tar().dir("data").file("data/../../evil", "x").done(), "'data/../../evil'", "'..'");
  }

  @Test
  void namesWithNulAreRefused() throws Exception {
    String name = "data/" + "n".repeat(120) + "\0hidden";
    assertRefused(new Tar().dir("data").file(name, "x").done(), "NUL");
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(zip)) {
      z.putArchiveEntry(new ZipArchiveEntry("data/a\0b"));
      z.closeArchiveEntry();
    }
    assertRefused(zip.toByteArray(), "NUL");
  }

  @Test
  void duplicateNamesAreRefused() throws Exception {
    assertRefused(new Tar().dir("data").file("data/x", "1").file("./data//x", "2").done(), "'./data//x'",
        "data/x appears twice");
    assertRefused(new Tar().dir("data").dir("data").done(), "appears twice");
  }

  @Test
  void aFileCannotBeAParentDirectory() throws Exception {
    assertRefused(new Tar().dir("data").file("data/x", "1").file("data/x/y", "2").done(), "'data/x/y'",
        "data/x is a file, not a directory");
  }

  @Test
  void symlinksThatAreAbsoluteOrLeadOutAreRefusedUnlessAllowed() throws Exception {
    byte[] absolute = new Tar().dir("data").link("data/l", TarConstants.LF_SYMLINK, "/etc/passwd").done();
    assertRefused(absolute, "'data/l'", "'/etc/passwd'", "is absolute");
    assertRefused(new Tar().dir("data").link("data/l", TarConstants.LF_SYMLINK, "../../etc").done(), "'data/l'",
        "leads out of the archive");
    // each link stays inside on its own, but data/a/up is data, so the second climbs out
    byte[] chained = new Tar().dir("data/a").link("data/a/up", TarConstants.LF_SYMLINK, "..")
        .link("data/x", TarConstants.LF_SYMLINK, "a/up/../..").done();
    assertRefused(chained, "'data/x'", "leads out of the archive");
    assertRefused(new Tar().dir("data").link("data/loop", TarConstants.LF_SYMLINK, "loop/x").done(),
        "more than 40 symlinks");

    String id = Archives.importInto(fx.repository, "links").allowLinksOutside()
        .readFrom(new ByteArrayInputStream(absolute)).snapshotId();
    assertThat(fx.snapshotIds()).contains(id);
  }

  @Test
  void symlinksInsideTheArchiveAreKept() throws Exception {
    byte[] ok = new Tar().dir("data/a").dir("cfg").link("data/a/up", TarConstants.LF_SYMLINK, "../../cfg")
        .link("data/rel", TarConstants.LF_SYMLINK, "a/up/../data/a").done();
    var r = Archives.importInto(fx.repository, "links").readFrom(new ByteArrayInputStream(ok));
    assertThat(r.others()).isEqualTo(2);
  }

  @Test
  void hardLinksMustPointAtAnEarlierFile() throws Exception {
    assertRefused(new Tar().dir("data").link("data/h", TarConstants.LF_LINK, "../outside").done(), "'data/h'",
        "'..'");
    assertRefused(new Tar().dir("data").link("data/h", TarConstants.LF_LINK, "/etc/shadow").done(), "'data/h'",
        "absolute");
    assertRefused(new Tar().dir("data").link("data/h", TarConstants.LF_LINK, "data/later").file("data/later", "x")
        .done(), "'data/h'", "not a file earlier in the archive");
    assertRefused(new Tar().dir("data").link("data/h", TarConstants.LF_LINK, "data").done(), "'data/h'",
        "not a file earlier");

    var r = Archives.importInto(fx.repository, "hard").readFrom(new ByteArrayInputStream(
        new Tar().dir("data").file("data/f", "same bytes").link("data/h", TarConstants.LF_LINK, "data/f").done()));
    try (var repo = fx.open()) {
      Node dir = fx.root(repo, r.snapshotId()).find("data");
      var nodes = repo.loadTree(io.holdfast.internal.repo.Id.parse(dir.subtree()));
      assertThat(nodes.find("h").content()).isEqualTo(nodes.find("f").content()).hasSize(1);
      assertThat(nodes.find("h").size()).isEqualTo(10);
    }
  }

  @Test
  void devicesAreRefusedUnlessAllowed() throws Exception {
    TarArchiveEntry dev = new TarArchiveEntry("data/null", TarConstants.LF_CHR, true);
    dev.setDevMajor(1);
    dev.setDevMinor(3);
    byte[] archive = new Tar().dir("data").entry(dev).done();
    assertRefused(archive, "'data/null'", "device");
    var r = Archives.importInto(fx.repository, "dev").allowDevices().readFrom(new ByteArrayInputStream(archive));
    try (var repo = fx.open()) {
      Node dir = fx.root(repo, r.snapshotId()).find("data");
      Node n = repo.loadTree(io.holdfast.internal.repo.Id.parse(dir.subtree())).find("null");
      assertThat(n.type()).isEqualTo(Node.CHARDEV);
      assertThat(n.device()).isEqualTo(0x103L); // makedev(1, 3)
    }
  }

  @Test
  void entriesAndTotalsOverTheLimitsAreRefused() throws Exception {
    byte[] archive = new Tar().dir("data").file("data/a", "0123456789").file("data/b", "0123456789").done();
    assertRefused(Archives.importInto(fx.repository, "lim").limits(Archives.Limits.defaults().withMaxEntryBytes(9)),
        archive, "'data/a'", "declares 10 bytes", "limit of 9");
    assertRefused(Archives.importInto(fx.repository, "lim").limits(Archives.Limits.defaults().withMaxTotalBytes(15)),
        archive, "'data/b'", "limit of 15 bytes in all");
    assertRefused(Archives.importInto(fx.repository, "lim").limits(Archives.Limits.defaults().withMaxEntries(2)),
        archive, "more than 2 entries", "'data/b'");
  }

  @Test
  void aZipBombStopsAtTheLimitsWhateverItsHeadersSay() throws Exception {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(zip)) {
      z.putArchiveEntry(new ZipArchiveEntry("data/"));
      z.closeArchiveEntry();
      z.putArchiveEntry(new ZipArchiveEntry("data/zeros"));
      z.write(new byte[4 << 20]);
      z.closeArchiveEntry();
    }
    assertThat(zip.size()).isLessThan(64 << 10);
    assertRefused(Archives.importInto(fx.repository, "bomb").limits(Archives.Limits.defaults().withMaxTotalBytes(1 << 20)),
        zip.toByteArray(), "'data/zeros'", "limit of 1048576 bytes in all");
  }

  @Test
  void aDeclaredSizeThatDisagreesWithTheDataIsRefused() throws Exception {
    byte[] good = new Tar().dir("data").file("data/f", "x".repeat(1000)).file("data/g", "y").done();
    // a header declaring more data than the archive holds: cut the archive inside f's data
    byte[] truncated = Arrays.copyOf(good, 512 * 3 + 50);
    assertRefused(truncated, "'data/f'");
    // a header declaring less than it holds: the rest of the data is read as the next header (a
    // difference within f's last 512-byte block would be padding, which no reader can tell apart)
    byte[] shorter = good.clone();
    setSize(shorter, 512, 10);
    assertRefused(shorter, "damaged after entry 'data/f'");
  }

  @Test
  void looseEntriesAtTheTopNeedADataset() throws Exception {
    byte[] loose = new Tar().dir("./").file("./app.conf", "port=1").dir("./sub").file("./sub/x", "x").done();
    assertRefused(loose, "'./app.conf'", "not inside a directory");
    var r = Archives.importInto(fx.repository, "loose").dataset("etc").readFrom(new ByteArrayInputStream(loose));
    assertThat(r.datasets()).containsExactly("etc");
    assertThat(r.files()).isEqualTo(2);
  }

  @Test
  void unknownEntryTypesAreRefused() throws Exception {
    byte[] archive = new Tar().dir("data").entry(new TarArchiveEntry("data/vol", (byte) 'V', true)).done();
    assertRefused(archive, "'data/vol'", "tar type 'V'");
  }

  @Test
  void streamsThatAreNoArchiveAreRefused() {
    assertRefused("this is not an archive at all, just some text that goes on and on".repeat(20)
        .getBytes(StandardCharsets.UTF_8), "damaged");
  }

  /** Rewrites the size field of the tar header at {@code offset} and its checksum. */
  private static void setSize(byte[] tar, int offset, long size) {
    byte[] field = String.format("%011o\0", size).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(field, 0, tar, offset + 124, 12);
    Arrays.fill(tar, offset + 148, offset + 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += tar[offset + i] & 0xff;
    }
    byte[] check = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(check, 0, tar, offset + 148, 8);
  }
}
