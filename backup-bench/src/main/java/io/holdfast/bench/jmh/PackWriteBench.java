package io.holdfast.bench.jmh;

import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.InMemoryBlobStore;
import io.holdfast.testkit.SampleTrees;
import java.io.IOException;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Pack writing: {@link Repository#saveBlob} of new 1 MiB data blobs into a version-2 repository on
 * an {@link InMemoryBlobStore}, with default options (16 MiB packs) except the zstd level. One
 * operation saves 1 MiB of plaintext, so operations per second are MiB/s.
 *
 * <p>Each operation changes the blob's first 8 bytes to a counter, so every save is of a blob the
 * repository has not seen (a known id would be skipped by deduplication) while the data keeps its
 * compressibility. What the operation includes:
 * <ul>
 *   <li>{@link #hashAndSave}: the archiver's work per chunk after chunking: SHA-256 for the id,
 *       then compression (when it shrinks the blob), encryption, appending to a pack, and the pack
 *       uploads (the store copies each pack into the heap on an upload thread; saves wait when
 *       uploads fall behind).
 *   <li>{@link #save}: the same without the SHA-256: the id is made from the counter, which the
 *       repository cannot tell (it trusts the caller's id). The difference is the hash's share;
 *       {@link Sha256Bench} measures the hash on its own.
 * </ul>
 *
 * <p>Both also carry a share of {@link Repository#flush} (the last partial pack and an index file):
 * every {@value #BLOBS_PER_ROUND} blobs the repository is flushed and its packs are deleted from
 * the store, which keeps the heap bounded; a new repository is made for each iteration.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class PackWriteBench {

  private static final int BLOB_SIZE = 1 << 20;
  /** 256 MiB of plaintext between flushes: many packs per flush even at ~3x compression. */
  private static final int BLOBS_PER_ROUND = 256;

  /** {@code random}: incompressible; {@code text}: words and numbers, ~3x smaller with zstd. */
  @Param({"random", "text"})
  public String data;

  /** zstd level; 0 stores blobs uncompressed. */
  @Param({"0", "1", "3"})
  public int level;

  private final byte[] blob = new byte[BLOB_SIZE];
  private final byte[] fakeId = new byte[Id.SIZE];
  private long counter;
  private int sinceFlush;
  private InMemoryBlobStore store;
  private Repository repo;

  @Setup(Level.Trial)
  public void makeBlob() {
    Random rnd = new Random(3);
    switch (data) {
      case "random" -> rnd.nextBytes(blob);
      case "text" -> SampleTrees.fillText(blob, rnd);
      default -> throw new IllegalArgumentException("unknown data kind " + data);
    }
  }

  @Setup(Level.Iteration)
  public void openRepository() {
    store = new InMemoryBlobStore();
    repo = Repository.init(store, "bench".toCharArray(), new ScryptParams(1024, 8, 1),
        RepositoryOptions.defaults().withCompressionLevel(level), Clock.systemUTC());
    sinceFlush = 0;
  }

  @TearDown(Level.Iteration)
  public void closeRepository() {
    repo.flush();
    repo.close();
  }

  @Benchmark
  public boolean hashAndSave() throws IOException {
    nextBlob();
    return saved(repo.saveBlob(BlobType.DATA, Id.hash(blob), blob));
  }

  @Benchmark
  public boolean save() throws IOException {
    nextBlob();
    putLong(fakeId, counter);
    return saved(repo.saveBlob(BlobType.DATA, Id.of(fakeId), blob));
  }

  private void nextBlob() {
    putLong(blob, ++counter);
  }

  private boolean saved(boolean isNew) throws IOException {
    if (!isNew) {
      throw new IllegalStateException("blob " + counter + " was deduplicated: the benchmark measured nothing");
    }
    if (++sinceFlush == BLOBS_PER_ROUND) {
      repo.flush();
      for (BlobInfo pack : store.list("data/")) {
        store.delete(pack.key());
      }
      sinceFlush = 0;
    }
    return isNew;
  }

  private static void putLong(byte[] b, long v) {
    for (int i = 0; i < Long.BYTES; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
  }
}
