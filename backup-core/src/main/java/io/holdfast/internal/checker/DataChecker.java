package io.holdfast.internal.checker;

import io.holdfast.HoldfastException;
import io.holdfast.VerifyReport.Kind;
import io.holdfast.VerifyReport.Problem;
import io.holdfast.internal.Progress;
import io.holdfast.internal.crypto.MasterKey;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.storage.BlobStore;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Re-reads packs in full (DESIGN.md section 6, "verify: data"): each pack's SHA-256 must equal its
 * name, every blob its header or the index places in it must decrypt, decompress and hash to its
 * id, and the header must agree with the index.
 *
 * <p>A pack's tail (its header) is read first, then the rest is streamed in windows of about {@link
 * #WINDOW} bytes (a window grows to hold a blob that crosses its end), each byte fetched from the
 * store once; so a check holds at most one window and one tail per pack being read, and reads
 * {@code parallelism} packs at once. Tree blobs it verifies can be handed on ({@link
 * VerifiedTrees}) so that a structure walk need not fetch them again. Problems are collected, not
 * thrown; a storage error while reading a pack is a problem of that pack.
 *
 * <p>The caller opens the repository and holds a lock on it. Thread-safe: each {@link #check}
 * uses its own threads, which it stops before it returns.
 */
public final class DataChecker {
  /** Bytes read from a pack at once. */
  static final int WINDOW = 4 << 20;

  /**
   * What the check found in one pack.
   *
   * @param indexedBlobs how many blobs the index places in the pack
   * @param lost the indexed blobs that cannot be read back from it
   */
  public record PackOutcome(Id pack, long bytesRead, int indexedBlobs, List<Problem> problems,
      List<PackedBlob> lost) {
    public PackOutcome {
      problems = List.copyOf(problems);
      lost = List.copyOf(lost);
    }

    public boolean damaged() {
      return !problems.isEmpty();
    }
  }

  /**
   * What a check found.
   *
   * @param packsRead packs read (a missing pack is not)
   * @param damaged the outcomes of the packs that have a problem, ordered by pack id
   */
  public record Result(int packsRead, long bytesRead, List<Problem> problems, List<PackOutcome> damaged) {
    public Result {
      problems = List.copyOf(problems);
      damaged = List.copyOf(damaged);
    }
  }

  private final Repository repo;
  private final BlobStore store;
  private final int parallelism;

  public DataChecker(Repository repo, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.repo = Objects.requireNonNull(repo, "repo");
    this.store = repo.store();
    this.parallelism = parallelism;
  }

  /**
   * Reads {@code packs}, each compared with the blobs {@code byPack} (the index) places in it.
   *
   * @throws HoldfastException if the check is interrupted or a reader fails unexpectedly
   */
  public Result check(Collection<Id> packs, Map<Id, List<PackedBlob>> byPack) {
    return check(packs, byPack, null, Progress.NONE);
  }

  /**
   * Like {@link #check(Collection, Map)}, offering every tree blob that verifies to {@code trees}
   * (none when null), and telling {@code progress} the packs and bytes done as each pack is.
   */
  Result check(Collection<Id> packs, Map<Id, List<PackedBlob>> byPack, VerifiedTrees trees, Progress progress) {
    if (packs.isEmpty()) {
      return new Result(0, 0, List.of(), List.of());
    }
    AtomicInteger n = new AtomicInteger();
    AtomicLong packsDone = new AtomicLong();
    AtomicLong bytesDone = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, packs.size()), r -> {
      Thread t = new Thread(r, "holdfast-verify-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<PackOutcome>> futures = new ArrayList<>();
      for (Id pack : packs.stream().sorted().toList()) {
        List<PackedBlob> indexed = byPack.getOrDefault(pack, List.of());
        futures.add(pool.submit(() -> {
          PackOutcome o = checkPack(pack, indexed, trees);
          progress.done(packsDone.incrementAndGet(), bytesDone.addAndGet(o.bytesRead()));
          return o;
        }));
      }
      List<Problem> problems = new ArrayList<>();
      List<PackOutcome> damaged = new ArrayList<>();
      long bytes = 0;
      int read = 0;
      for (Future<PackOutcome> f : futures) {
        PackOutcome o = f.get();
        bytes += o.bytesRead();
        read += o.bytesRead() > 0 ? 1 : 0;
        problems.addAll(o.problems());
        if (o.damaged()) {
          damaged.add(o);
        }
      }
      return new Result(read, bytes, problems, damaged);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HoldfastException("data check interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new HoldfastException("data check failed: " + c, c);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Reads one pack; every failure becomes a problem of the outcome. */
  PackOutcome checkPack(Id pack, List<PackedBlob> indexed, VerifiedTrees trees) {
    String key = FileType.PACK.key(pack);
    String p = pack.shortHex();
    List<Problem> problems = new ArrayList<>();
    long size;
    try {
      size = store.stat(key).size();
    } catch (NoSuchFileException e) {
      return new PackOutcome(pack, 0, indexed.size(), List.of(StructureChecker.missing(pack, indexed.size())), indexed);
    } catch (IOException e) {
      return unreadable(pack, indexed, 0, e);
    }
    byte[] tail;
    try {
      tail = repo.readPackTail(pack, size); // the size stat() just gave: no second stat
    } catch (HoldfastException e) { // a storage error, or the pack gone since stat()
      return unreadable(pack, indexed, 0, e);
    }
    List<PackedBlob> header = null;
    try {
      header = repo.parsePackHeader(pack, tail, size);
    } catch (RuntimeException e) { // a damaged header may hold any length: parsing it fails in any way
      problems.add(new Problem(Kind.PACK_HEADER, p, "pack " + p + ": cannot read its header: "
          + StructureChecker.describe(e)));
    }
    // every place a blob is said to be, by the header or by the index: each is checked once
    Set<PackedBlob> places = new LinkedHashSet<>(header == null ? List.of() : header);
    places.addAll(indexed);
    List<PackedBlob> plan = new ArrayList<>();
    List<PackedBlob> impossible = new ArrayList<>();
    for (PackedBlob b : places) {
      (b.offset() < 0 || b.length() < MasterKey.OVERHEAD ? impossible : plan).add(b);
    }
    plan.sort(Comparator.comparingLong(PackedBlob::offset));
    for (PackedBlob b : impossible) {
      problems.add(new Problem(Kind.BLOB_DAMAGED, p, "pack " + p + ": the index places " + b.type().json() + " blob "
          + b.id().shortHex() + " at impossible offset " + b.offset() + ", length " + b.length()));
    }
    Set<PackedBlob> indexedSet = new HashSet<>(indexed);
    Reader reader = new Reader(pack, key, size, tail, plan, indexedSet, problems, trees);
    reader.lost.addAll(impossible);
    try {
      reader.read();
    } catch (IOException e) {
      problems.add(new Problem(Kind.PACK_UNREADABLE, p, "pack " + p + ": cannot read it at byte " + reader.pos
          + ": " + e));
      for (PackedBlob b : indexed) {
        if (!reader.verified.contains(b)) {
          reader.lost.add(b);
        }
      }
      return new PackOutcome(pack, reader.bytes, indexed.size(), problems, List.copyOf(reader.lost));
    }
    Id actual = Id.of(reader.digest.digest());
    if (!actual.equals(pack)) {
      problems.add(new Problem(Kind.PACK_HASH, p, "pack " + p + ": its content does not match its name (its SHA-256 is "
          + actual.shortHex() + "): the file is damaged"));
    }
    if (header != null) {
      problems.addAll(StructureChecker.headerDisagreements(pack, header, indexed));
      for (PackedBlob h : header) {
        PackedBlob known = repo.lookup(h.type(), h.id());
        if (known == null) {
          problems.add(new Problem(Kind.BLOB_NOT_INDEXED, p, "pack " + p + ": its header lists " + h.type().json()
              + " blob " + h.id().shortHex() + " at offset " + h.offset() + ", which no index lists"));
        }
      }
    }
    return new PackOutcome(pack, reader.bytes, indexed.size(), problems, List.copyOf(reader.lost));
  }

  private static PackOutcome unreadable(Id pack, List<PackedBlob> indexed, long bytes, Exception e) {
    return new PackOutcome(pack, bytes, indexed.size(), List.of(new Problem(Kind.PACK_UNREADABLE, pack.shortHex(),
        "pack " + pack.shortHex() + ": cannot read it from the store: " + e.getMessage())), indexed);
  }

  /** Streams one pack through a digest, checking each blob in the window that holds it. */
  private final class Reader {
    final Id pack;
    final String key;
    final long size;
    /** The pack's last bytes, read with its header: the stream takes them from here, not the store. */
    final byte[] tail;
    final long tailStart;
    final List<PackedBlob> plan;
    final Set<PackedBlob> indexed;
    final List<Problem> problems;
    final VerifiedTrees trees;
    final MessageDigest digest = sha256();
    final Set<PackedBlob> verified = new HashSet<>();
    final Set<PackedBlob> lost = new LinkedHashSet<>();
    long pos;
    long bytes;

    Reader(Id pack, String key, long size, byte[] tail, List<PackedBlob> plan, Set<PackedBlob> indexed,
        List<Problem> problems, VerifiedTrees trees) {
      this.pack = pack;
      this.key = key;
      this.size = size;
      this.tail = tail;
      this.tailStart = size - tail.length;
      this.trees = trees;
      this.bytes = tail.length;
      this.plan = plan;
      this.indexed = indexed;
      this.problems = problems;
    }

    void read() throws IOException {
      Set<PackedBlob> done = new HashSet<>();
      int next = 0;
      while (pos < size) {
        long end = Math.min(size, pos + WINDOW);
        // blobs lie back to back: at most one crosses the window's end; grow the window to hold it
        for (int i = next; i < plan.size() && plan.get(i).offset() < end; i++) {
          PackedBlob b = plan.get(i);
          long bEnd = b.offset() + b.length();
          if (b.offset() >= pos && bEnd > end && bEnd <= size) {
            end = bEnd;
          }
        }
        byte[] buf = fetch(pos, (int) (end - pos));
        digest.update(buf);
        while (next < plan.size() && plan.get(next).offset() < end) {
          PackedBlob b = plan.get(next++);
          if (b.offset() >= pos && b.offset() + b.length() <= end) {
            verify(b, buf, (int) (b.offset() - pos));
            done.add(b);
          }
        }
        pos = end;
      }
      long truncatedBlobs = 0;
      long wantedEnd = size;
      for (PackedBlob b : plan) {
        if (done.contains(b)) {
          continue;
        }
        if (b.offset() + b.length() > size) {
          wantedEnd = Math.max(wantedEnd, b.offset() + b.length());
          if (indexed.contains(b)) {
            truncatedBlobs++;
            lost.add(b);
          }
          continue;
        }
        // a place that overlaps another (an index entry that disagrees with the header)
        verify(b, fetch(b.offset(), b.length()), 0);
      }
      if (wantedEnd > size) {
        problems.add(new Problem(Kind.PACK_TRUNCATED, pack.shortHex(), "pack " + pack.shortHex() + " is truncated: it has "
            + size + " bytes but blobs are placed up to byte " + wantedEnd + " (" + truncatedBlobs
            + " indexed blobs lost)"));
      }
    }

    /** {@code length} bytes of the pack from {@code from}: those of the tail from it, the rest from the store. */
    private byte[] fetch(long from, int length) throws IOException {
      long to = from + length;
      if (from >= tailStart) {
        return Arrays.copyOfRange(tail, (int) (from - tailStart), (int) (to - tailStart));
      }
      int fromStore = (int) (Math.min(to, tailStart) - from);
      byte[] stored = store.get(key, from, fromStore);
      bytes += stored.length;
      if (to <= tailStart) {
        return stored;
      }
      byte[] buf = Arrays.copyOf(stored, length);
      System.arraycopy(tail, 0, buf, fromStore, (int) (to - tailStart));
      return buf;
    }

    private void verify(PackedBlob b, byte[] buf, int off) {
      try {
        byte[] plain = repo.decodeBlob(b, buf, off, b.length());
        verified.add(b);
        if (trees != null && b.type() == BlobType.TREE) {
          trees.offer(b.id(), plain);
        }
      } catch (RuntimeException e) { // IntegrityException, or worse from a nonsensical index entry
        boolean inIndex = indexed.contains(b);
        if (inIndex) {
          lost.add(b);
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        problems.add(new Problem(Kind.BLOB_DAMAGED, pack.shortHex(), (m.contains("pack " + pack.shortHex()) ? ""
            : "pack " + pack.shortHex() + ": ") + m + " (at offset " + b.offset() + ", where " + (inIndex ? "the index" : "the pack's header")
            + " places it)"));
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
