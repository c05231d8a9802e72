package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.IntegrityException;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.repo.SnapshotFile;
import io.holdfast.internal.repo.Tree;
import io.holdfast.internal.restorer.RestoreStats;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.testkit.DirectoryListing;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restorer reads each pack's needed blobs in a few ranged reads, not one read per blob. */
class CoalescedRestoreReadsTest {
  @TempDir Path tmp;
  private RecordingBlobStore recorded;
  private Repository repo;

  private Id backup(Path src) {
    recorded = new RecordingBlobStore(TestRepos.store(tmp.resolve("repo")));
    repo = Repository.init(recorded.store, TestRepos.PASSWORD.toCharArray(), TestRepos.FAST,
        RepositoryOptions.defaults(), Clock.systemUTC());
    BackupStats stats = new BackupStats();
    Id snap = TestRepos.backup(repo, stats, false, new Archiver.Source("data", src));
    assertThat(stats.warnings()).isEmpty();
    return snap;
  }

  @AfterEach
  void tearDown() {
    if (repo != null) {
      repo.close();
    }
  }

  private static Path smallFiles(Path src, int count, long seed) throws IOException {
    Random rnd = new Random(seed);
    for (int i = 0; i < count; i++) {
      Path dir = Files.createDirectories(src.resolve("d" + (i % 7)));
      byte[] b = new byte[100 + rnd.nextInt(3000)];
      rnd.nextBytes(b);
      Files.write(dir.resolve("file-" + i), b);
    }
    return src;
  }

  private Set<String> packs(BlobType type) {
    Set<String> packs = new HashSet<>();
    repo.indexedBlobs().stream().filter(b -> b.type() == type)
        .forEach(b -> packs.add(FileType.PACK.key(b.pack())));
    return packs;
  }

  private Set<String> dataPacks() {
    return packs(BlobType.DATA);
  }

  private List<String> gets(BlobType type) {
    Set<String> packs = packs(type);
    return recorded.gets.stream().filter(packs::contains).toList();
  }

  private List<String> dataPackGets() {
    return gets(BlobType.DATA);
  }

  private RestoreStats restore(Id snap, Path out) {
    recorded.forget();
    try (Restorer r = new Restorer(repo, 2)) {
      return r.restore(repo.loadSnapshot(snap), "", out);
    }
  }

  @Test
  void manySmallFilesInFewPacksAreReadWithOneReadPerPack() throws IOException {
    Path src = smallFiles(tmp.resolve("src"), 300, 1);
    Id snap = backup(src);
    Path out = tmp.resolve("out");

    RestoreStats stats = restore(snap, out);

    assertThat(stats.files()).isEqualTo(300);
    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
    assertThat(dataPacks()).as("the files share a few packs").hasSizeLessThan(10);
    assertThat(dataPackGets()).as("one ranged read per data pack, not one per blob")
        .hasSameSizeAs(dataPacks()).doesNotHaveDuplicates();
  }

  @Test
  void theTreesOfSubdirectoriesAreReadTogetherNotOneByOne() throws IOException {
    Path src = smallFiles(tmp.resolve("src"), 300, 6);
    Files.createDirectories(src.resolve("empty-1"));
    Files.createDirectories(src.resolve("d2/empty-2"));
    Id snap = backup(src);
    Path out = tmp.resolve("out");

    restore(snap, out);

    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
    int treePacks = packs(BlobType.TREE).size();
    assertThat(gets(BlobType.TREE)).as("the root tree, then one read per pack per level: not one per directory (11)")
        .hasSizeLessThanOrEqualTo(1 + 3 * treePacks).hasSizeLessThan(11);
  }

  @Test
  void aBlobSharedByManyFilesIsReadOnce() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    byte[] same = new byte[5000];
    new Random(2).nextBytes(same);
    for (int i = 0; i < 50; i++) {
      Files.write(src.resolve("copy-" + i), same);
    }
    Id snap = backup(src);
    assertThat(dataPacks()).hasSize(1);
    Path out = tmp.resolve("out");

    RestoreStats stats = restore(snap, out);

    assertThat(stats.files()).isEqualTo(50);
    assertThat(stats.bytes()).isEqualTo(50L * same.length);
    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
    assertThat(dataPackGets()).hasSize(1);
  }

  @Test
  void aBlobUsedSeveralTimesInOneFileIsWrittenAtEachOffset() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    byte[] part = new byte[300 << 10]; // below the chunker's minimum: one blob
    new Random(3).nextBytes(part);
    Files.write(src.resolve("part"), part);
    Id snap = backup(src);
    Repository.Snapshot backedUp = repo.loadSnapshot(snap);
    Node n;
    try (Restorer r = new Restorer(repo, 1)) {
      n = r.resolve(Id.parse(backedUp.file().tree()), "data/part");
    }
    String blob = n.content().get(0);
    Node thrice = new Node("thrice", n.type(), n.mode(), n.mtime(), n.atime(), n.ctime(), n.uid(), n.gid(),
        n.user(), n.group(), n.inode(), n.deviceId(), 3L * part.length, n.links(), null, null,
        List.of(blob, blob, blob), null);
    Id tree = repo.saveTree(Tree.sorted(List.of(thrice)));
    repo.flush();
    SnapshotFile f = backedUp.file();
    Repository.Snapshot made = new Repository.Snapshot(snap, new SnapshotFile(f.time(), null, tree.hex(),
        f.paths(), f.hostname(), f.username(), f.uid(), f.gid(), null, null, null, f.programVersion()));
    Path out = tmp.resolve("out");
    recorded.forget();

    try (Restorer r = new Restorer(repo, 2)) {
      r.restore(made, "", out);
    }

    byte[] expected = new byte[3 * part.length];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(part, 0, expected, i * part.length, part.length);
    }
    assertThat(Files.readAllBytes(out.resolve("thrice"))).isEqualTo(expected);
    assertThat(dataPackGets()).hasSize(1);
  }

  @Test
  void filesBeyondOneWindowAreAllRestoredWithFewReads() throws IOException {
    Path src = smallFiles(tmp.resolve("src"), 2600, 4);
    Id snap = backup(src);
    Path out = tmp.resolve("out");

    RestoreStats stats = restore(snap, out);

    assertThat(stats.files()).isEqualTo(2600);
    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
    assertThat(dataPackGets()).as("at most one read per pack per window of 1024 files")
        .hasSizeLessThanOrEqualTo(3 * dataPacks().size());
  }

  @Test
  void aDamagedBlobInACoalescedRangeIsReportedNamingTheBlobAndTheFile() throws IOException {
    Path src = smallFiles(tmp.resolve("src"), 40, 5);
    Id snap = backup(src);
    Node victim;
    try (Restorer r = new Restorer(repo, 1)) {
      victim = r.resolve(Id.parse(repo.loadSnapshot(snap).file().tree()), "data/d3/file-17");
    }
    Id blob = Id.parse(victim.content().get(0));
    PackedBlob where = repo.lookup(BlobType.DATA, blob);
    Path pack;
    try (Stream<Path> walk = Files.walk(tmp.resolve("repo/data"))) {
      pack = walk.filter(p -> p.getFileName().toString().equals(where.pack().hex())).findFirst().orElseThrow();
    }
    pack.toFile().setWritable(true);
    try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      long at = where.offset() + where.length() / 2;
      ch.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x55)).rewind();
      ch.write(one, at);
    }

    assertThatThrownBy(() -> restore(snap, tmp.resolve("out")))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(blob.shortHex())
        .hasMessageContaining("file-17")
        .hasMessageContaining("MAC does not verify");
  }
}
