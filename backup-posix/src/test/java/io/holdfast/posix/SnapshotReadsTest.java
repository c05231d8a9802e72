package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.fs.SnapshotFileSystem;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.testkit.SampleTrees;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads through the internal entry point, on a repository with 1 MiB packs so that a snapshot
 * spreads over many packs: what each read fetches from the store, and seeks across blob bounds.
 */
class SnapshotReadsTest {
  @TempDir Path tmp;
  Path src;
  RecordingBlobStore recorded;
  Repository repo;
  Id snapshot;

  @BeforeEach
  void setUp() throws IOException {
    src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 9, 5);
    Random rnd = new Random(6);
    for (int i = 0; i < 6; i++) {
      byte[] b = new byte[900 << 10];
      rnd.nextBytes(b);
      Files.write(src.resolve("docs/filler-" + i), b);
    }
    recorded = new RecordingBlobStore(TestRepos.store(tmp.resolve("repo")));
    repo = Repository.init(recorded.store, TestRepos.PASSWORD.toCharArray(), TestRepos.FAST,
        RepositoryOptions.defaults().withPackSize(1 << 20), Clock.systemUTC());
    snapshot = TestRepos.backup(repo, new BackupStats(), false, new Archiver.Source("data", src));
  }

  @AfterEach
  void tearDown() {
    repo.close();
  }

  private Node node(String path) {
    try (Restorer r = new Restorer(repo, 1)) {
      return r.resolve(Id.parse(repo.loadSnapshot(snapshot).file().tree()), path);
    }
  }

  private String packOf(BlobType type, String id) {
    return FileType.PACK.key(repo.lookup(type, Id.parse(id)).pack());
  }

  @Test
  void readingOneSmallFileFetchesOnlyItsTreesAndItsPack() throws IOException {
    Set<String> dataPacks = new HashSet<>();
    repo.indexedBlobs().forEach(b -> dataPacks.add(FileType.PACK.key(b.pack())));
    assertThat(dataPacks).as("the snapshot spreads over many packs").hasSizeGreaterThan(5);
    Set<String> expected = new HashSet<>();
    expected.add(packOf(BlobType.TREE, repo.loadSnapshot(snapshot).file().tree()));
    expected.add(packOf(BlobType.TREE, node("data").subtree()));
    expected.add(packOf(BlobType.TREE, node("data/docs").subtree()));
    Node readme = node("data/docs/readme.txt");
    expected.add(packOf(BlobType.DATA, readme.content().get(0)));

    try (SnapshotFileSystem fs = SnapshotFileSystem.open(repo, snapshot)) {
      recorded.forget();
      assertThat(Files.readString(fs.getPath("/data/docs/readme.txt"))).isEqualTo("hello holdfast\n");
      assertThat(new HashSet<>(recorded.gets)).isEqualTo(expected);
      assertThat(recorded.gets).as("one ranged read per tree on the way and one for the blob").hasSize(4);
      assertThat(recorded.lists).isEmpty();

      recorded.forget();
      assertThat(Files.readString(fs.getPath("/data/docs/readme.txt"))).isEqualTo("hello holdfast\n");
      assertThat(recorded.gets).as("trees and the blob come from the caches the second time").isEmpty();
    }
    assertThat(repo.list(FileType.LOCK)).as("the borrowed repository is not locked").isEmpty();
    try (SnapshotFileSystem again = SnapshotFileSystem.open(repo, snapshot)) {
      assertThat(Files.size(again.getPath("/data/docs/readme.txt"))).as("nor closed").isEqualTo(15);
    }
  }

  @Test
  void seeksLandOnTheRightBytesAcrossBlobBoundaries() throws Exception {
    Node big = node("data/docs/big.bin");
    // 9 MiB is more than the chunker's 8 MiB maximum: at least two blobs, whatever the repository's
    // random polynomial (how many more varies with it)
    assertThat(big.content()).as("a file of several chunks").hasSizeGreaterThan(1);
    List<Long> bounds = new ArrayList<>();
    long at = 0;
    for (String blob : big.content()) {
      bounds.add(at);
      at += repo.lookup(BlobType.DATA, Id.parse(blob)).plaintextLength();
    }
    try (SnapshotFileSystem fs = SnapshotFileSystem.open(repo, snapshot);
        SeekableByteChannel ch = Files.newByteChannel(fs.getPath("/data/docs/big.bin"));
        RandomAccessFile raf = new RandomAccessFile(src.resolve("docs/big.bin").toFile(), "r")) {
      assertThat(ch.size()).isEqualTo(raf.length());
      Random rnd = new Random(7);
      List<long[]> reads = new ArrayList<>();
      for (long b : bounds) {
        reads.add(new long[] {b, 4096});        // starting at a boundary
        reads.add(new long[] {Math.max(0, b - 100), 200}); // straddling one
      }
      for (int i = 0; i < 40; i++) {
        reads.add(new long[] {(long) (rnd.nextDouble() * raf.length()), 1 + rnd.nextInt(3 << 20)});
      }
      reads.add(new long[] {raf.length() - 10, 10});
      for (long[] r : reads) {
        int len = (int) Math.min(r[1], raf.length() - r[0]);
        byte[] want = new byte[len];
        raf.seek(r[0]);
        raf.readFully(want);
        ByteBuffer got = ByteBuffer.allocate(len);
        ch.position(r[0]);
        while (got.hasRemaining() && ch.read(got) > 0) {
          // reads may stop short; keep reading
        }
        assertThat(got.array()).as("%d bytes at %d", len, r[0]).isEqualTo(want);
        assertThat(ch.position()).isEqualTo(r[0] + len);
      }
      ch.position(raf.length() + 5);
      assertThat(ch.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }
  }

  @Test
  void aSeekFetchesOnlyTheBlobItLandsIn() throws IOException {
    Node big = node("data/docs/big.bin");
    PackedBlob third = repo.lookup(BlobType.DATA, Id.parse(big.content().get(2)));
    long start = 0;
    for (int i = 0; i < 2; i++) {
      start += repo.lookup(BlobType.DATA, Id.parse(big.content().get(i))).plaintextLength();
    }
    try (SnapshotFileSystem fs = SnapshotFileSystem.open(repo, snapshot);
        SeekableByteChannel ch = Files.newByteChannel(fs.getPath("/data/docs/big.bin"))) {
      recorded.forget();
      ch.position(start + 10).read(ByteBuffer.allocate(100));
      assertThat(recorded.gets).containsExactly(FileType.PACK.key(third.pack()));
    }
  }

  @Test
  void aMissingPackIsAnIOExceptionNamingThePathAndTheOtherFilesStillRead() throws IOException {
    String pack = packOf(BlobType.DATA, node("data/docs/readme.txt").content().get(0));
    repo.store().delete(pack);
    try (SnapshotFileSystem fs = SnapshotFileSystem.open(repo, snapshot)) {
      assertThatThrownBy(() -> Files.readString(fs.getPath("/data/docs/readme.txt")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("/data/docs/readme.txt")
          .hasMessageContaining("is missing")
          .hasCauseInstanceOf(io.holdfast.IntegrityException.class);
      assertThat(Files.size(fs.getPath("/data/docs/readme.txt"))).isEqualTo(15);
      assertThat(Files.isDirectory(fs.getPath("/data/docs/deep"))).isTrue();
    }
  }

  @Test
  void aSequentialReadWithReadAheadFetchesEveryBlobExactlyOnce() throws IOException {
    Node big = node("data/docs/big.bin");
    try (SnapshotFileSystem fs = SnapshotFileSystem.open(repo, snapshot)) {
      assertThat(Files.isRegularFile(fs.getPath("/data/docs/big.bin"))).as("trees into the cache").isTrue();
      recorded.forget();
      assertThat(Files.readAllBytes(fs.getPath("/data/docs/big.bin")))
          .isEqualTo(Files.readAllBytes(src.resolve("docs/big.bin")));
      assertThat(recorded.gets).hasSize(big.content().size());
    }
  }

  @Test
  void manyThreadsReadOneFileSystemAtOnce() throws Exception {
    byte[] want = Files.readAllBytes(src.resolve("docs/big.bin"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (SnapshotFileSystem fs = SnapshotFileSystem.open(repo, snapshot)) {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          Random rnd = new Random(seed);
          try (SeekableByteChannel ch = Files.newByteChannel(fs.getPath("/data/docs/big.bin"))) {
            for (int i = 0; i < 10; i++) {
              int pos = rnd.nextInt(want.length - 70_000);
              ByteBuffer got = ByteBuffer.allocate(70_000);
              ch.position(pos);
              while (got.hasRemaining() && ch.read(got) > 0) {
                // fill
              }
              if (!java.util.Arrays.equals(got.array(), 0, 70_000, want, pos, pos + 70_000)) {
                return false;
              }
            }
          }
          return Files.readString(fs.getPath("/data/docs/readme.txt")).equals("hello holdfast\n");
        }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
