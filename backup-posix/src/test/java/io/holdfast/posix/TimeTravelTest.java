package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.HoldfastException;
import io.holdfast.Repository;
import io.holdfast.SnapshotFileSystems;
import io.holdfast.SnapshotSelector;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.ResticCli;
import io.holdfast.testkit.SampleTrees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessMode;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots opened as read-only file systems through the public API, on a real directory tree. */
class TimeTravelTest {
  private static final Instant MONDAY = Instant.parse("2026-11-30T02:00:00Z");
  private static final Instant TUESDAY = Instant.parse("2026-12-01T02:00:00Z");

  @TempDir Path tmp;
  Path repoDir;
  Repository repo;
  Path src;

  @BeforeEach
  void setUp() throws IOException {
    repoDir = tmp.resolve("repo");
    TestRepos.init(repoDir).close();
    repo = Repository.on(TestRepos.store(repoDir), TestRepos.PASSWORD::toCharArray);
    src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 3, 4);
    Files.createLink(src.resolve("docs/hard-link"), src.resolve("docs/readme.txt"));
  }

  private String backup(Instant at, String plan, Path root) {
    try (BackupEngine engine = BackupEngine.builder().clock(Clock.fixed(at, ZoneOffset.UTC)).build()) {
      return engine.backup(BackupPlan.builder(plan).dataset(DirectoryDataset.live("data", root))
          .repository(repo).build()).orThrow().snapshotId().orElseThrow();
    }
  }

  @Test
  void walkingTheSnapshotListsExactlyWhatWasBackedUp() throws IOException {
    backup(MONDAY, "files", src);
    try (FileSystem fs = SnapshotFileSystems.open(repo, "latest")) {
      assertThat(DirectoryListing.of(fs.getPath("/data"))).isEqualTo(DirectoryListing.of(src));
      try (Stream<Path> top = Files.list(fs.getPath("/"))) {
        assertThat(top.map(Path::toString)).containsExactly("/.holdfast", "/data");
      }
      assertThat(Files.readString(fs.getPath("/.holdfast/manifest.json"))).contains("\"plan\"", "files");
      List<String> walked;
      List<String> source;
      try (Stream<Path> w = Files.walk(fs.getPath("/data"))) {
        walked = w.map(p -> fs.getPath("/data").relativize(p).toString()).sorted().toList();
      }
      try (Stream<Path> w = Files.walk(src)) {
        source = w.map(p -> src.relativize(p).toString()).sorted().toList();
      }
      assertThat(walked).isEqualTo(source).hasSizeGreaterThan(15);
    }
  }

  @Test
  void attributesAreThoseOfTheSourceAtBackupTime() throws IOException {
    backup(MONDAY, "files", src);
    try (FileSystem fs = SnapshotFileSystems.open(repo, "latest"); Stream<Path> walk = Files.walk(src)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path in = fs.getPath("/data").resolve(src.relativize(p).toString());
        Map<String, Object> want = Files.readAttributes(p, "unix:mode,ino,dev,nlink,uid,gid,ctime,lastModifiedTime",
            LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> got = Files.readAttributes(in, "unix:mode,ino,dev,nlink,uid,gid,ctime,lastModifiedTime",
            LinkOption.NOFOLLOW_LINKS);
        assertThat(got).as(in.toString()).isEqualTo(want);
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes b = Files.readAttributes(in, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(b.isRegularFile()).isEqualTo(a.isRegularFile());
        assertThat(b.isDirectory()).isEqualTo(a.isDirectory());
        assertThat(b.isSymbolicLink()).isEqualTo(a.isSymbolicLink());
        if (!a.isDirectory()) {
          assertThat(b.size()).as(in.toString()).isEqualTo(a.size());
        }
        if (!a.isSymbolicLink()) {
          assertThat(PosixFilePermissions.toString(b.permissions()))
              .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
        // the names the backup stored, those of the source's owner and group
        PosixFileAttributes source = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(b.owner().getName()).isEqualTo(source.owner().getName());
        assertThat(b.group().getName()).isEqualTo(source.group().getName());
      }
      Object readme = Files.readAttributes(fs.getPath("/data/docs/readme.txt"), BasicFileAttributes.class).fileKey();
      assertThat(readme).isNotNull()
          .isEqualTo(Files.readAttributes(fs.getPath("/data/docs/hard-link"), BasicFileAttributes.class).fileKey())
          .isNotEqualTo(Files.readAttributes(fs.getPath("/data/run.sh"), BasicFileAttributes.class).fileKey());
      assertThat(Files.isSameFile(fs.getPath("/data/docs/readme.txt"), fs.getPath("/data/link-to-readme"))).isTrue();
      assertThat(Files.isSameFile(fs.getPath("/data/docs/readme.txt"), fs.getPath("/data/docs/hard-link"))).isTrue();
      assertThat(Files.isSameFile(fs.getPath("/data/docs/readme.txt"), fs.getPath("/data/run.sh"))).isFalse();
      PosixFileAttributeView view = Files.getFileAttributeView(fs.getPath("/data/run.sh"), PosixFileAttributeView.class);
      assertThat(view.readAttributes().permissions()).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void aSnapshotResticMadeOpensWithItsOwnersByName() throws IOException {
    ResticCli.require();
    Path other = tmp.resolve("restic-repo");
    ResticCli restic = new ResticCli(other, TestRepos.PASSWORD);
    restic.ok("init");
    restic.ok("backup", src.toString());
    Repository resticRepo = Repository.on(TestRepos.store(other), TestRepos.PASSWORD::toCharArray);
    try (FileSystem fs = SnapshotFileSystems.open(resticRepo, "latest")) {
      Path copy = fs.getPath(src.toString());
      assertThat(DirectoryListing.of(copy)).isEqualTo(DirectoryListing.of(src));
      assertThat(Files.getOwner(copy.resolve("run.sh")).getName()).isEqualTo(Files.getOwner(src.resolve("run.sh")).getName());
      assertThat(Files.readAttributes(copy.resolve("run.sh"), PosixFileAttributes.class).group().getName())
          .isEqualTo(Files.readAttributes(src.resolve("run.sh"), PosixFileAttributes.class).group().getName());
    }
  }

  @Test
  void symlinksReadAsLinksAndAreFollowedInsideTheSnapshot() throws IOException {
    Files.createSymbolicLink(src.resolve("loop"), Path.of("loop"));
    Files.createSymbolicLink(src.resolve("up-and-back"), Path.of("../data/docs/readme.txt"));
    backup(MONDAY, "files", src);
    try (FileSystem fs = SnapshotFileSystems.open(repo, "latest")) {
      Path data = fs.getPath("/data");
      assertThat(Files.readSymbolicLink(data.resolve("link-to-readme"))).isEqualTo(fs.getPath("docs/readme.txt"));
      assertThat(Files.readString(data.resolve("link-to-readme"))).isEqualTo("hello holdfast\n");
      assertThat(Files.readString(data.resolve("up-and-back"))).isEqualTo("hello holdfast\n");
      assertThat(Files.isSymbolicLink(data.resolve("link-to-dir"))).isTrue();
      assertThat(Files.isDirectory(data.resolve("link-to-dir"))).isTrue();
      assertThat(Files.readString(data.resolve("link-to-dir/readme.txt"))).isEqualTo("hello holdfast\n");
      assertThat(data.resolve("link-to-dir/deep/../readme.txt").toRealPath()).isEqualTo(fs.getPath("/data/docs/readme.txt"));
      assertThat(data.resolve("link-to-dir").toRealPath(LinkOption.NOFOLLOW_LINKS)).isEqualTo(fs.getPath("/data/link-to-dir"));
      assertThat(Files.exists(data.resolve("dangling"))).isFalse();
      assertThat(Files.exists(data.resolve("dangling"), LinkOption.NOFOLLOW_LINKS)).isTrue();
      assertThat(Files.readSymbolicLink(data.resolve("dangling")).toString()).isEqualTo("/nonexistent/target");
      assertThatThrownBy(() -> Files.readAttributes(data.resolve("loop"), BasicFileAttributes.class))
          .isInstanceOf(FileSystemException.class).hasMessageContaining("Too many levels of symbolic links");
      assertThatThrownBy(() -> Files.readSymbolicLink(data.resolve("run.sh"))).isInstanceOf(NotLinkException.class);
      assertThatThrownBy(() -> Files.newInputStream(data.resolve("link-to-readme"), LinkOption.NOFOLLOW_LINKS))
          .isInstanceOf(FileSystemException.class);
    }
  }

  @Test
  void aWalkThatFollowsLinksDetectsALinkBackToAnAncestor() throws IOException {
    Files.createSymbolicLink(src.resolve("docs/deep/up"), Path.of("../.."));
    backup(MONDAY, "files", src);
    try (FileSystem fs = SnapshotFileSystems.open(repo, "latest");
        Stream<Path> walk = Files.walk(fs.getPath("/data"), java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      assertThatThrownBy(() -> walk.count())
          .isInstanceOf(java.io.UncheckedIOException.class)
          .hasCauseInstanceOf(java.nio.file.FileSystemLoopException.class);
    }
  }

  @Test
  void emptyFilesNonAsciiNamesAndGlobsReadAsOnDisk() throws IOException {
    backup(MONDAY, "files", src);
    try (FileSystem fs = SnapshotFileSystems.open(repo, "latest")) {
      Path data = fs.getPath("/data");
      assertThat(Files.size(data.resolve("empty-file"))).isZero();
      assertThat(Files.readAllBytes(data.resolve("empty-file"))).isEmpty();
      try (SeekableByteChannel ch = Files.newByteChannel(data.resolve("empty-file"))) {
        assertThat(ch.read(ByteBuffer.allocate(10))).isEqualTo(-1);
      }
      Path odd = data.resolve("ünïcødé-名前-🙂.txt");
      assertThat(Files.readString(odd)).isEqualTo("odd name ünïcødé-名前-🙂.txt");
      assertThat(Files.readString(data.resolve("new\nline"))).isEqualTo("odd name new\nline");
      assertThat(Files.readString(data.resolve("tab\there"))).isEqualTo("odd name tab\there");
      assertThat(fs.provider().getPath(odd.toUri())).isEqualTo(odd);
      assertThat(odd.toUri().getScheme()).isEqualTo("holdfast");
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(data, "*.{txt,sh}")) {
        List<String> names = new ArrayList<>();
        ds.forEach(p -> names.add(p.getFileName().toString()));
        assertThat(names).containsExactlyInAnyOrder("ünïcødé-名前-🙂.txt", "run.sh");
      }
      try (Stream<Path> found = Files.find(data, 10, (p, a) -> fs.getPathMatcher("glob:**/*.md").matches(p))) {
        assertThat(found.map(Path::toString)).containsExactly("/data/docs/deep/deeper/notes.md");
      }
      assertThatThrownBy(() -> Files.newDirectoryStream(data.resolve("run.sh"))).isInstanceOf(NotDirectoryException.class);
      assertThatThrownBy(() -> Files.readAllBytes(data.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
      assertThatThrownBy(() -> Files.readAllBytes(data.resolve("run.sh/x"))).isInstanceOf(FileSystemException.class);
      assertThatThrownBy(() -> Files.readAllBytes(data.resolve("docs"))).isInstanceOf(FileSystemException.class)
          .hasMessageContaining("Is a directory");
    }
  }

  @Test
  void filesCopyOutToTheDefaultFileSystemWithTheirTimes() throws IOException {
    backup(MONDAY, "files", src);
    Path out = Files.createDirectories(tmp.resolve("out"));
    try (FileSystem fs = SnapshotFileSystems.open(repo, "latest")) {
      Files.copy(fs.getPath("/data/docs/big.bin"), out.resolve("big.bin"), StandardCopyOption.COPY_ATTRIBUTES);
      Files.copy(fs.getPath("/data/docs/readme.txt"), out.resolve("readme.txt"));
    }
    assertThat(Files.mismatch(out.resolve("big.bin"), src.resolve("docs/big.bin"))).isEqualTo(-1);
    assertThat(Files.getLastModifiedTime(out.resolve("big.bin"))).isEqualTo(Files.getLastModifiedTime(src.resolve("docs/big.bin")));
    assertThat(out.resolve("readme.txt")).hasSameBinaryContentAs(src.resolve("docs/readme.txt"));
  }

  @Test
  void everyChangeIsRefusedAsReadOnly() throws IOException {
    backup(MONDAY, "files", src);
    try (FileSystem fs = SnapshotFileSystems.open(repo, "latest")) {
      Path f = fs.getPath("/data/docs/readme.txt");
      assertThat(fs.isReadOnly()).isTrue();
      assertThat(Files.getFileStore(f).isReadOnly()).isTrue();
      assertThat(Files.isReadable(f)).isTrue();
      assertThat(Files.isWritable(f)).isFalse();
      assertThat(Files.isExecutable(fs.getPath("/data/run.sh"))).isTrue();
      assertThat(Files.isExecutable(f)).isFalse();
      List<ThrowingRunnable> changes = List.of(
          () -> Files.writeString(f, "x"),
          () -> Files.newOutputStream(fs.getPath("/data/new")),
          () -> Files.newByteChannel(f, StandardOpenOption.WRITE),
          () -> Files.newByteChannel(f, StandardOpenOption.APPEND),
          () -> Files.newByteChannel(f, StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE),
          () -> Files.createDirectory(fs.getPath("/data/dir")),
          () -> Files.createSymbolicLink(fs.getPath("/data/l"), f),
          () -> Files.delete(f),
          () -> Files.deleteIfExists(f),
          () -> Files.move(f, fs.getPath("/data/moved")),
          () -> Files.copy(f, fs.getPath("/data/copied")),
          () -> Files.setLastModifiedTime(f, FileTime.fromMillis(0)),
          () -> Files.setAttribute(f, "posix:permissions", PosixFilePermissions.fromString("rwxrwxrwx")),
          () -> Files.getFileAttributeView(f, PosixFileAttributeView.class).setPermissions(java.util.Set.of()));
      for (ThrowingRunnable change : changes) {
        assertThatThrownBy(change::run).isInstanceOf(ReadOnlyFileSystemException.class);
      }
      assertThatThrownBy(() -> fs.provider().checkAccess(f, AccessMode.WRITE))
          .isInstanceOf(java.nio.file.AccessDeniedException.class);
      assertThat(Files.readString(f)).isEqualTo("hello holdfast\n");
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void snapshotsAreSelectedByIdShortIdLatestPlanAndInstant() throws IOException {
    String monday = backup(MONDAY, "files", src);
    Files.writeString(src.resolve("docs/readme.txt"), "changed\n");
    String tuesday = backup(TUESDAY, "files", src);
    String other = backup(TUESDAY.plusSeconds(60), "other", src);
    assertThat(contentOf(SnapshotSelector.id(monday))).isEqualTo("hello holdfast\n");
    assertThat(contentOf(SnapshotSelector.id(monday.substring(0, 8)))).isEqualTo("hello holdfast\n");
    assertThat(contentOf(SnapshotSelector.latest())).isEqualTo("changed\n");
    assertThat(contentOf(SnapshotSelector.asOf(TUESDAY.minusSeconds(1)))).isEqualTo("hello holdfast\n");
    assertThat(contentOf(SnapshotSelector.asOf(TUESDAY))).isEqualTo("changed\n");
    try (FileSystem fs = SnapshotFileSystems.open(repo, SnapshotSelector.latest().plan("files"))) {
      assertThat(((io.holdfast.internal.fs.SnapshotFileSystem) fs).snapshot().id().hex()).isEqualTo(tuesday);
    }
    try (FileSystem fs = SnapshotFileSystems.open(repo, other.substring(0, 10))) {
      assertThat(((io.holdfast.internal.fs.SnapshotFileSystem) fs).snapshot().id().hex()).isEqualTo(other);
    }

    assertThatThrownBy(() -> SnapshotFileSystems.open(repo, SnapshotSelector.asOf(MONDAY.minusSeconds(1)).plan("files")))
        .isInstanceOf(HoldfastException.class)
        .hasMessageContaining("no snapshot with tags [plan:files] taken at or before 2026-11-30T01:59:59Z")
        .hasMessageContaining("the oldest with these tags was taken 2026-11-30T02:00:00Z");
    assertThatThrownBy(() -> SnapshotFileSystems.open(repo, SnapshotSelector.id(other).plan("files")))
        .isInstanceOf(HoldfastException.class).hasMessageContaining("is not a snapshot with tags [plan:files]");
    assertThatThrownBy(() -> SnapshotFileSystems.open(repo, "ffffffffff"))
        .isInstanceOf(HoldfastException.class).hasMessageContaining("no snapshot matches 'ffffffffff'");
    assertThat(Files.list(repoDir.resolve("locks"))).as("no lock is left after failed opens").isEmpty();
  }

  private String contentOf(SnapshotSelector selector) throws IOException {
    try (FileSystem fs = SnapshotFileSystems.open(repo, selector)) {
      return Files.readString(fs.getPath("/data/docs/readme.txt"));
    }
  }

  @Test
  void aClosedFileSystemRefusesReadsAndHasReleasedItsLock() throws IOException {
    backup(MONDAY, "files", src);
    FileSystem fs = SnapshotFileSystems.open(repo, "latest");
    Path f = fs.getPath("/data/docs/big.bin");
    SeekableByteChannel ch = Files.newByteChannel(f);
    assertThat(Files.list(repoDir.resolve("locks"))).hasSize(1);
    backup(TUESDAY, "files", src); // a shared lock does not stop a backup
    fs.close();
    fs.close();
    assertThat(fs.isOpen()).isFalse();
    assertThat(Files.list(repoDir.resolve("locks"))).isEmpty();
    assertThatThrownBy(() -> Files.readAllBytes(f)).isInstanceOf(ClosedFileSystemException.class);
    assertThatThrownBy(() -> Files.list(fs.getPath("/"))).isInstanceOf(ClosedFileSystemException.class);
    assertThatThrownBy(() -> Files.readAttributes(f, BasicFileAttributes.class)).isInstanceOf(ClosedFileSystemException.class);
    assertThatThrownBy(() -> Files.delete(f)).isInstanceOf(ClosedFileSystemException.class);
    assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedFileSystemException.class);
    assertThatThrownBy(() -> fs.provider().getPath(f.toUri())).isInstanceOf(java.nio.file.FileSystemNotFoundException.class);
    assertThat(f.resolveSibling("x").toString()).as("paths stay usable as names").isEqualTo("/data/docs/x");
  }

  @Test
  void theReadmeExampleCopiesADeletedFileBackOutOfYesterdaysSnapshot() throws IOException {
    Path etc = Files.createDirectories(tmp.resolve("etc/calendar/conf.d"));
    byte[] holidays = "BEGIN:VCALENDAR\nSUMMARY:Founders' day\nEND:VCALENDAR\n".getBytes(StandardCharsets.UTF_8);
    Files.write(etc.resolve("holidays.ics"), holidays);
    BackupPlan plan = BackupPlan.builder("calendar")
        .dataset(DirectoryDataset.live("config", tmp.resolve("etc/calendar"))).repository(repo).build();
    try (BackupEngine nightly = BackupEngine.builder().clock(Clock.fixed(MONDAY, ZoneOffset.UTC)).build()) {
      nightly.backup(plan).orThrow();
    }
    Files.delete(etc.resolve("holidays.ics"));
    try (BackupEngine nightly = BackupEngine.builder().clock(Clock.fixed(TUESDAY, ZoneOffset.UTC)).build()) {
      nightly.backup(plan).orThrow();
    }
    Clock clock = Clock.fixed(TUESDAY.plus(Duration.ofHours(8)), ZoneOffset.UTC);
    Path target = etc.resolve("holidays.ics");

    // as in README.md, "Time travel"
    Instant yesterday = clock.instant().minus(Duration.ofDays(1));
    try (FileSystem snapshot = SnapshotFileSystems.open(repo, SnapshotSelector.asOf(yesterday).plan("calendar"))) {
      Files.copy(snapshot.getPath("/config/conf.d/holidays.ics"), target);
    }

    assertThat(Files.readAllBytes(target)).isEqualTo(holidays);
  }
}
