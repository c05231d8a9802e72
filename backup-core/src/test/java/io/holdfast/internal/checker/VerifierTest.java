package io.holdfast.internal.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.VerifyPlan.DataCheck;
import io.holdfast.VerifyReport.AffectedPath;
import io.holdfast.VerifyReport.AffectedSnapshot;
import io.holdfast.VerifyReport.DamagedPack;
import io.holdfast.VerifyReport.Kind;
import io.holdfast.VerifyReport.Problem;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.GoMode;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.repo.Tree;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.BlobStore;
import io.holdfast.storage.BlobStoreCapabilities;
import io.holdfast.storage.InMemoryBlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierTest {
  private static final char[] PW = "verify me".toCharArray();

  @TempDir Path tmp;
  final InMemoryBlobStore store = new InMemoryBlobStore();
  Id first;
  Id second;

  /** Snapshot 1: /src/a.txt, /src/sub/b.txt; snapshot 2 adds /src/sub/c.txt. */
  @BeforeEach
  void twoSnapshots() throws Exception {
    Path sub = Files.createDirectories(tmp.resolve("src/sub"));
    Files.writeString(tmp.resolve("src/a.txt"), "alpha\n");
    Files.writeString(sub.resolve("b.txt"), "beta\n".repeat(1000));
    try (Repository repo = Repository.init(store, PW, new ScryptParams(1024, 8, 1), RepositoryOptions.defaults(),
        Clock.systemUTC()); Archiver archiver = new Archiver(repo, 2)) {
      first = archiver.backup(List.of(new Archiver.Source("src", tmp.resolve("src"))), null, List.of("plan:docs"),
          new BackupStats());
      Files.writeString(sub.resolve("c.txt"), "gamma\n");
      second = archiver.backup(List.of(new Archiver.Source("src", tmp.resolve("src"))), null, List.of("plan:docs"),
          new BackupStats());
    }
  }

  private Repository open() {
    return Repository.open(store, PW, RepositoryOptions.defaults(), Clock.systemUTC());
  }

  private Verifier.Result verify(DataCheck check) {
    try (Repository repo = open()) {
      return new Verifier(repo, 2).verify(check, new Random(1));
    }
  }

  private PackedBlob dataBlobOf(String content) {
    try (Repository repo = open()) {
      return repo.lookup(BlobType.DATA, Id.hash(content.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** The tree blob of /src/sub in snapshot {@code snapshot}. */
  private PackedBlob subTreeOf(Id snapshot) {
    try (Repository repo = open()) {
      Id root = Id.parse(repo.loadSnapshot(snapshot).file().tree());
      Id src = Id.parse(repo.loadTree(root).find("src").subtree());
      Id sub = Id.parse(repo.loadTree(src).find("sub").subtree());
      return repo.lookup(BlobType.TREE, sub);
    }
  }

  private void rewrite(Id pack, UnaryOperator<byte[]> edit) throws IOException {
    String key = FileType.PACK.key(pack);
    byte[] bytes = store.get(key);
    store.delete(key);
    store.put(key, edit.apply(bytes));
  }

  private void flipByte(PackedBlob blob, int at) throws IOException {
    rewrite(blob.pack(), b -> {
      b[(int) blob.offset() + at] ^= 0x40;
      return b;
    });
  }

  private static List<String> paths(AffectedSnapshot s) {
    return s.paths().stream().map(AffectedPath::path).toList();
  }

  private long storedPackBytes() throws IOException {
    return store.list(FileType.PACK.prefix()).stream().mapToLong(BlobInfo::size).sum();
  }

  @Test
  void aSoundRepositoryReadInFullHasNoProblemsAndNoDamage() throws Exception {
    Verifier.Result r = verify(DataCheck.all());
    assertThat(r.structure().problems()).isEmpty();
    assertThat(r.dataProblems()).isEmpty();
    assertThat(r.damage().isEmpty()).isTrue();
    assertThat(r.packsRead()).isEqualTo(r.structure().packs()).isGreaterThanOrEqualTo(4);
    assertThat(r.bytesRead()).isEqualTo(storedPackBytes());
  }

  @Test
  void aBitFlipInsideADataBlobIsFoundByTheDataCheckOnly() throws Exception {
    PackedBlob a = dataBlobOf("alpha\n");
    flipByte(a, 20);

    Verifier.Result structureOnly = verify(DataCheck.none());
    assertThat(structureOnly.structure().problems()).isEmpty(); // the header still agrees with the index
    assertThat(structureOnly.packsRead()).isZero();

    Verifier.Result r = verify(DataCheck.all());
    assertThat(r.structure().problems()).isEmpty();
    assertThat(r.dataProblems()).extracting(Problem::kind).containsExactlyInAnyOrder(Kind.BLOB_DAMAGED, Kind.PACK_HASH);
    assertThat(r.dataProblems()).allSatisfy(p -> assertThat(p.subject()).isEqualTo(a.pack().shortHex()));
    assertThat(r.damage().packs()).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo(a.pack().hex());
      assertThat(p.lostBlobs()).containsExactly(a.id().hex());
    });
    // a.txt is in both snapshots (deduplicated): both lose it, and nothing else
    assertThat(r.damage().snapshots()).extracting(AffectedSnapshot::id).containsExactly(first.hex(), second.hex());
    assertThat(r.damage().snapshots()).allSatisfy(s -> {
      assertThat(paths(s)).containsExactly("/src/a.txt");
      assertThat(s.plan()).contains("docs");
      assertThat(s.paths().get(0).packs()).containsExactly(a.pack().shortHex());
      assertThat(s.paths().get(0).subtreeUnknown()).isFalse();
    });
  }

  @Test
  void aDeletedPackIsTracedToEveryFileOfEverySnapshotThatNeedsIt() throws Exception {
    PackedBlob c = dataBlobOf("gamma\n");
    store.delete(FileType.PACK.key(c.pack()));

    for (DataCheck check : List.of(DataCheck.none(), DataCheck.all())) {
      Verifier.Result r = verify(check);
      assertThat(r.structure().problems().stream().map(Problem::kind).toList()
          .stream().filter(k -> k == Kind.PACK_MISSING).count()
          + r.dataProblems().stream().filter(p -> p.kind() == Kind.PACK_MISSING).count()).isEqualTo(1);
      assertThat(r.damage().packs()).extracting(DamagedPack::id).containsExactly(c.pack().hex());
      assertThat(r.damage().packs().get(0).lostBlobs()).contains(c.id().hex());
      assertThat(r.damage().snapshots()).singleElement().satisfies(s -> {
        assertThat(s.id()).isEqualTo(second.hex());
        assertThat(paths(s)).containsExactly("/src/sub/c.txt");
      });
    }
  }

  @Test
  void aTruncatedPackLosesTheBlobsBeyondItsEnd() throws Exception {
    PackedBlob b = dataBlobOf("beta\n".repeat(1000));
    rewrite(b.pack(), bytes -> Arrays.copyOf(bytes, (int) b.offset() + 10));

    Verifier.Result r = verify(DataCheck.all());
    assertThat(r.dataProblems()).extracting(Problem::kind).contains(Kind.PACK_HEADER, Kind.PACK_TRUNCATED, Kind.PACK_HASH);
    assertThat(r.damage().packs()).singleElement().satisfies(p -> assertThat(p.lostBlobs()).contains(b.id().hex()));
    assertThat(r.damage().snapshots()).hasSize(2)
        .allSatisfy(s -> assertThat(paths(s)).contains("/src/sub/b.txt"));

    // the structure check alone sees the broken header, and still learns what was lost
    Verifier.Result structure = verify(DataCheck.none());
    assertThat(structure.structure().problems()).extracting(Problem::kind).contains(Kind.PACK_HEADER);
    assertThat(structure.damage().snapshots()).hasSize(2)
        .allSatisfy(s -> assertThat(paths(s)).contains("/src/sub/b.txt"));
  }

  @Test
  void aPackTruncatedToNothingIsDamagedForBothChecks() throws Exception {
    PackedBlob c = dataBlobOf("gamma\n");
    rewrite(c.pack(), bytes -> new byte[0]);
    Verifier.Result structure = verify(DataCheck.none());
    assertThat(structure.structure().problems()).extracting(Problem::kind).containsExactly(Kind.PACK_HEADER);
    Verifier.Result r = verify(DataCheck.all());
    assertThat(r.dataProblems()).extracting(Problem::kind).contains(Kind.PACK_HEADER, Kind.PACK_TRUNCATED, Kind.PACK_HASH);
    for (Verifier.Result each : List.of(structure, r)) {
      assertThat(each.damage().snapshots()).singleElement().satisfies(s -> assertThat(paths(s)).containsExactly("/src/sub/c.txt"));
    }
  }

  /**
   * Stores a snapshot of one file with two writers that opened the repository before either stored
   * anything, as two backups running at once: each stores every blob, so each is in two packs.
   */
  private void storeTwice(String content) {
    try (Repository x = open(); Repository y = open()) {
      commitFiles(x, List.of(content));
      commitFiles(y, List.of(content));
    }
  }

  /** Every place the index files list the blob at. */
  private List<PackedBlob> placesOf(PackedBlob blob) {
    try (Repository repo = open()) {
      return repo.indexedPacks().values().stream().flatMap(List::stream)
          .filter(b -> b.id().equals(blob.id()) && b.type() == blob.type()).toList();
    }
  }

  @Test
  void aDataBlobDamagedInOnePackIsNotLostWhenAnotherPackHoldsASoundCopy() throws Exception {
    storeTwice("stored twice\n");
    PackedBlob looked = dataBlobOf("stored twice\n"); // the copy a lookup gives: the one restore would read
    assertThat(placesOf(looked)).hasSize(2).contains(looked);
    flipByte(looked, 20);

    Verifier.Result r = verify(DataCheck.all());
    assertThat(r.dataProblems()).extracting(Problem::kind).contains(Kind.BLOB_DAMAGED);
    assertThat(r.damage().packs()).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo(looked.pack().hex());
      assertThat(p.lostBlobs()).isEmpty();
      assertThat(p.copiedBlobs()).containsExactly(looked.id().hex());
    });
    assertThat(r.damage().snapshots()).isEmpty();
    assertThat(restoredFile()).as("restore reads the sound copy").isEqualTo("stored twice\n");
  }

  @Test
  void aMissingPackIsNoLossWhenAnotherPackHoldsEachOfItsBlobs() throws Exception {
    storeTwice("stored twice, one pack lost\n");
    PackedBlob looked = dataBlobOf("stored twice, one pack lost\n");
    store.delete(FileType.PACK.key(looked.pack()));

    assertThat(verify(DataCheck.all()).damage().snapshots()).isEmpty();
    assertThat(restoredFile()).isEqualTo("stored twice, one pack lost\n");
    try (java.nio.file.FileSystem fs = io.holdfast.SnapshotFileSystems.open(
        io.holdfast.Repository.on(store, PW::clone), "latest")) {
      assertThat(Files.readString(fs.getPath("/files/f0"))).as("time travel reads the copy too")
          .isEqualTo("stored twice, one pack lost\n");
    }
  }

  /** Restores /files/f0 of the latest snapshot (as {@link #storeTwice} wrote it) and returns its text. */
  private String restoredFile() throws IOException {
    Path target = tmp.resolve("restored-" + System.nanoTime());
    try (Repository repo = open(); Restorer r = new Restorer(repo, 2)) {
      Repository.Snapshot latest = repo.snapshots().stream()
          .max(Comparator.comparing(s -> s.time().toInstant())).orElseThrow();
      r.restore(latest, "files", target);
    }
    return Files.readString(target.resolve("f0"));
  }

  @Test
  void aTreeDamagedInOnePackIsLoadedFromItsSoundCopyAndNothingIsLost() throws Exception {
    storeTwice("a tree stored twice\n");
    PackedBlob root;
    try (Repository repo = open()) {
      Id last = repo.snapshots().stream().max(Comparator.comparing(s -> s.time().toInstant())).orElseThrow().id();
      root = repo.lookup(BlobType.TREE, Id.parse(repo.loadSnapshot(last).file().tree()));
    }
    assertThat(placesOf(root)).hasSize(2).contains(root);
    flipByte(root, 20);

    for (DataCheck check : List.of(DataCheck.none(), DataCheck.all())) {
      Verifier.Result r = verify(check);
      assertThat(r.structure().lostTrees()).as(check.toString()).isEmpty();
      assertThat(r.damage().snapshots()).as(check.toString()).isEmpty();
      List<Problem> all = new ArrayList<>(r.structure().problems());
      all.addAll(r.dataProblems());
      assertThat(all).as("the damaged copy is still reported").isNotEmpty();
    }
    assertThat(verify(DataCheck.all()).damage().packs()).singleElement()
        .satisfies(p -> assertThat(p.copiedBlobs()).containsExactly(root.id().hex()));
    assertThat(restoredFile()).as("restore loads the sound copy of the tree").isEqualTo("a tree stored twice\n");
  }

  @Test
  void aLostTreeMakesItsWholeSubtreeUnknown() throws Exception {
    PackedBlob sub = subTreeOf(first);
    flipByte(sub, 20);

    Verifier.Result r = verify(DataCheck.all());
    assertThat(r.structure().problems()).extracting(Problem::kind).contains(Kind.TREE_DAMAGED);
    assertThat(r.dataProblems()).extracting(Problem::kind).contains(Kind.BLOB_DAMAGED);
    // only the first snapshot has this /src/sub (the second's lists c.txt too)
    assertThat(r.damage().snapshots()).singleElement().satisfies(s -> {
      assertThat(s.id()).isEqualTo(first.hex());
      assertThat(s.paths()).containsExactly(new AffectedPath("/src/sub/", true, List.of(sub.pack().shortHex())));
    });
  }

  @Test
  void theRootTreeLostWithADeletedPackLeavesTheSnapshotUnknown() throws Exception {
    Id rootPack;
    try (Repository repo = open()) {
      rootPack = repo.lookup(BlobType.TREE, Id.parse(repo.loadSnapshot(first).file().tree())).pack();
    }
    store.delete(FileType.PACK.key(rootPack));
    Verifier.Result r = verify(DataCheck.none());
    assertThat(r.damage().snapshots()).filteredOn(s -> s.id().equals(first.hex())).singleElement()
        .satisfies(s -> assertThat(s.paths()).containsExactly(new AffectedPath("/", true, List.of(rootPack.shortHex()))));
  }

  @Test
  void blobsNoIndexListsAreReportedAsUnindexed() throws Exception {
    try (Repository repo = open()) {
      for (Id index : repo.list(FileType.INDEX)) {
        store.delete(FileType.INDEX.key(index));
      }
    }
    Verifier.Result r = verify(DataCheck.all());
    assertThat(r.packsRead()).isZero(); // no pack is indexed, so none is selected
    assertThat(r.damage().packs()).isEmpty();
    assertThat(r.damage().unindexedBlobs()).hasSize(2); // the two root trees
    assertThat(r.damage().snapshots()).hasSize(2).allSatisfy(s ->
        assertThat(s.paths()).containsExactly(new AffectedPath("/", true, List.of(DamageTracer.UNINDEXED))));
  }

  @Test
  void groupsOneToMReadEveryPackExactlyOnce() {
    int packs = verify(DataCheck.none()).structure().packs();
    for (int m = 1; m <= 3; m++) {
      int read = 0;
      long bytes = 0;
      for (int n = 1; n <= m; n++) {
        Verifier.Result r = verify(DataCheck.group(n, m));
        read += r.packsRead();
        bytes += r.bytesRead();
      }
      assertThat(read).as("packs read over groups 1..%d", m).isEqualTo(packs);
      assertThat(bytes).isEqualTo(verify(DataCheck.all()).bytesRead());
    }
  }

  @Test
  void aDataCheckOfOneGroupFindsDamageOnlyInItsGroup() throws Exception {
    PackedBlob a = dataBlobOf("alpha\n");
    flipByte(a, 20);
    int group = PackSelection.groupOf(a.pack(), 2);
    assertThat(verify(DataCheck.group(group, 2)).dataProblems()).isNotEmpty();
    assertThat(verify(DataCheck.group(3 - group, 2)).dataProblems()).isEmpty();
  }

  @Test
  void aPackLargerThanTheWindowIsStreamedInBoundedReads() throws Exception {
    Path big = Files.createDirectories(tmp.resolve("big"));
    byte[] random = new byte[3 * DataChecker.WINDOW];
    new Random(7).nextBytes(random);
    Files.write(big.resolve("random.bin"), random);
    try (Repository repo = open(); Archiver archiver = new Archiver(repo, 2)) {
      archiver.backup(List.of(new Archiver.Source("big", big)), null, List.of(), new BackupStats());
    }
    RecordingStore recording = new RecordingStore(store);
    try (Repository repo = Repository.open(recording, PW, RepositoryOptions.defaults(), Clock.systemUTC())) {
      Verifier.Result r = new Verifier(repo, 2).verify(DataCheck.all(), new Random(1));
      assertThat(r.dataProblems()).isEmpty();
      assertThat(r.bytesRead()).isEqualTo(storedPackBytes());
    }
    // chunks are at most 8 MiB: a window holds at most WINDOW bytes plus one blob
    assertThat(recording.largestRead.get()).isGreaterThan(0).isLessThanOrEqualTo(DataChecker.WINDOW + (8 << 20) + 64);
    assertThat(recording.wholeReads.get()).isZero();
  }

  /**
   * Adds a snapshot of one directory of {@code files} one-line files, written through the
   * repository (faster than files on disk): more blobs than a pack header's first 64 KiB read can
   * hold, and a tree longer than that.
   */
  private void backUpManySmallFiles(int files) {
    List<String> contents = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      contents.add("small file " + i + "\n");
    }
    try (Repository repo = open()) {
      commitFiles(repo, contents);
    }
    try (Repository repo = open()) {
      int header = 1 + 4 + 32; // type, length, id: the least a header entry takes
      assertThat(repo.indexedPacks().values()).as("a pack whose header is longer than 64 KiB")
          .anySatisfy(blobs -> assertThat(blobs.size() * header).isGreaterThan(64 << 10));
      assertThat(repo.indexedBlobs()).as("a tree longer than 64 KiB")
          .anySatisfy(b -> assertThat(b.type() == BlobType.TREE && b.length() > 64 << 10).isTrue());
    }
  }

  /**
   * Commits a snapshot of one directory {@code /files} holding one file per content, with fixed
   * times: the same contents make the same trees. Written by one thread, every data blob goes to
   * one pack.
   */
  private static void commitFiles(Repository repo, List<String> contents) {
    String time = "2026-01-01T00:00:00Z";
    try (Archiver archiver = new Archiver(repo, 1)) {
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < contents.size(); i++) {
        byte[] content = contents.get(i).getBytes(StandardCharsets.UTF_8);
        Id blob = Id.hash(content);
        repo.saveBlob(BlobType.DATA, blob, content);
        nodes.add(new Node("f" + i, Node.FILE, 0644L, time, time, time, 0, 0, null, null, null, null,
            (long) content.length, null, null, null, List.of(blob.hex()), null));
      }
      Id dir = repo.saveTree(Tree.sorted(nodes));
      archiver.commit(List.of(new Node("files", Node.DIR, GoMode.DIR | 0755, time, time, time, 0, 0, null, null, null,
          null, null, null, null, null, null, dir.hex())), List.of("/files"), null, List.of());
    }
  }

  /** Verifies through a recording store; returns it. */
  private RecordingStore verifyRecorded(DataCheck check) {
    RecordingStore recording = new RecordingStore(store);
    try (Repository repo = Repository.open(recording, PW, RepositoryOptions.defaults(), Clock.systemUTC())) {
      Verifier.Result r = new Verifier(repo, 2).verify(check, new Random(1));
      assertThat(r.structure().problems()).isEmpty();
      assertThat(r.dataProblems()).isEmpty();
    }
    return recording;
  }

  /** The bytes of each pack fetched more than once, by pack key; empty when none is. */
  private static Map<String, Long> refetchedBytes(RecordingStore recording) {
    Map<String, Long> out = new TreeMap<>();
    recording.ranges.forEach((key, ranges) -> {
      List<long[]> sorted = new ArrayList<>(ranges);
      sorted.sort(Comparator.comparingLong(r -> r[0]));
      long end = 0;
      long again = 0;
      for (long[] r : sorted) {
        again += Math.max(0, Math.min(end, r[1]) - r[0]);
        end = Math.max(end, r[1]);
      }
      if (again > 0) {
        out.put(key, again);
      }
    });
    return out;
  }

  @Test
  void aFullDataCheckFetchesEveryPackByteExactlyOnceTreesAndLongHeadersIncluded() throws Exception {
    backUpManySmallFiles(2000);
    RecordingStore recording = verifyRecorded(DataCheck.all());
    assertThat(refetchedBytes(recording)).isEmpty();
    for (BlobInfo pack : store.list(FileType.PACK.prefix())) {
      assertThat(recording.fetched(pack.key())).as(pack.key()).isEqualTo(pack.size());
    }
    assertThat(recording.wholeReads.get()).isZero();
  }

  @Test
  void aStructureCheckFetchesNoPackByteTwiceEvenForAHeaderLongerThanItsFirstRead() throws Exception {
    backUpManySmallFiles(2000);
    assertThat(refetchedBytes(verifyRecorded(DataCheck.none()))).isEmpty();
  }

  @Test
  void verifiedTreesKeepOnlyWhatTheBudgetAllowsAndHandEachOutOnce() {
    VerifiedTrees trees = new VerifiedTrees(10);
    trees.offer(first, new byte[6]);
    trees.offer(second, new byte[6]);
    assertThat(trees.dropped()).isEqualTo(1);
    assertThat(trees.take(second)).isNull();
    assertThat(trees.take(first)).hasSize(6);
    assertThat(trees.take(first)).as("handed out once").isNull();
    trees.offer(second, new byte[6]);
    assertThat(trees.take(second)).as("room again once taken").hasSize(6);
  }

  /** Records the reads of pack data: how large, and which ranges of which pack. */
  private static final class RecordingStore implements BlobStore {
    final BlobStore delegate;
    final AtomicInteger largestRead = new AtomicInteger();
    final AtomicInteger wholeReads = new AtomicInteger();
    final Map<String, List<long[]>> ranges = new ConcurrentHashMap<>();

    long fetched(String key) {
      return ranges.getOrDefault(key, List.of()).stream().mapToLong(r -> r[1] - r[0]).sum();
    }

    RecordingStore(BlobStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
      delegate.put(key, data);
    }

    @Override
    public byte[] get(String key) throws IOException {
      if (key.startsWith(FileType.PACK.prefix())) {
        wholeReads.incrementAndGet();
      }
      return delegate.get(key);
    }

    @Override
    public byte[] get(String key, long offset, int length) throws IOException {
      if (key.startsWith(FileType.PACK.prefix())) {
        largestRead.accumulateAndGet(length, Math::max);
        ranges.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(new long[] {offset, offset + length});
      }
      return delegate.get(key, offset, length);
    }

    @Override
    public BlobInfo stat(String key) throws IOException {
      return delegate.stat(key);
    }

    @Override
    public List<BlobInfo> list(String prefix) throws IOException {
      return new ArrayList<>(delegate.list(prefix));
    }

    @Override
    public void delete(String key) throws IOException {
      delegate.delete(key);
    }

    @Override
    public BlobStoreCapabilities capabilities() {
      return delegate.capabilities();
    }
  }
}
