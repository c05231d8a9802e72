package io.holdfast.internal.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.IntegrityException;
import io.holdfast.RepositoryFormatException;
import io.holdfast.RepositoryNotFoundException;
import io.holdfast.WrongPasswordException;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RepositoryTest {
  static final ScryptParams FAST = new ScryptParams(1024, 8, 1);
  static final char[] PW = "correct horse".toCharArray();

  private static Repository init(InMemoryBlobStore store) {
    return Repository.init(store, PW, FAST, RepositoryOptions.defaults().withPackSize(1 << 20), Clock.systemUTC());
  }

  @Test
  void initThenOpenGivesTheSameConfig() {
    InMemoryBlobStore store = new InMemoryBlobStore();
    ConfigFile config;
    try (Repository repo = init(store)) {
      config = repo.config();
      assertThat(config.version()).isEqualTo(2);
    }
    try (Repository repo = Repository.open(store, PW, RepositoryOptions.defaults(), Clock.systemUTC())) {
      assertThat(repo.config()).isEqualTo(config);
    }
  }

  @Test
  void openWithTheWrongPasswordIsATypedErrorAndWritesNothing() throws Exception {
    InMemoryBlobStore store = new InMemoryBlobStore();
    init(store).close();
    List<BlobInfo> before = store.list("");
    assertThatThrownBy(() -> Repository.open(store, "nope".toCharArray(), RepositoryOptions.defaults(), Clock.systemUTC()))
        .isInstanceOf(WrongPasswordException.class)
        .hasMessageNotContaining("nope");
    assertThat(store.list("")).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void openWithoutConfigSaysThereIsNoRepository() {
    assertThatThrownBy(() -> Repository.open(new InMemoryBlobStore(), PW, RepositoryOptions.defaults(), Clock.systemUTC()))
        .isInstanceOf(RepositoryNotFoundException.class);
  }

  @Test
  void aDamagedConfigIsAFormatErrorNamingTheConfig() throws Exception {
    InMemoryBlobStore store = new InMemoryBlobStore();
    init(store).close();
    byte[] config = store.get("config");
    config[20] ^= 1;
    store.delete("config");
    store.put("config", config);
    assertThatThrownBy(() -> Repository.open(store, PW, RepositoryOptions.defaults(), Clock.systemUTC()))
        .isInstanceOf(RepositoryFormatException.class)
        .hasMessageContaining("config");
  }

  @Test
  void anUnknownVersionIsRefusedNamingTheConfig() throws Exception {
    InMemoryBlobStore store = new InMemoryBlobStore();
    try (Repository repo = init(store)) {
      ConfigFile c = repo.config();
      store.delete("config");
      store.put("config", repo.masterKey().encrypt(Json.write(new ConfigFile(3, c.id(), c.chunkerPolynomial()))));
    }
    assertThatThrownBy(() -> Repository.open(store, PW, RepositoryOptions.defaults(), Clock.systemUTC()))
        .isInstanceOf(RepositoryFormatException.class)
        .hasMessageContaining("config")
        .hasMessageContaining("version 3");
  }

  @Test
  void blobsRoundTripThroughPacksAndIndexAcrossReopen() {
    InMemoryBlobStore store = new InMemoryBlobStore();
    Random rnd = new Random(1);
    byte[] random = new byte[300_000];
    rnd.nextBytes(random);
    byte[] text = "all work and no play ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
    Id a = Id.hash(random);
    Id b = Id.hash(text);
    try (Repository repo = init(store)) {
      assertThat(repo.saveBlob(BlobType.DATA, a, random)).isTrue();
      assertThat(repo.saveBlob(BlobType.DATA, a, random)).isFalse();
      assertThat(repo.saveBlob(BlobType.DATA, b, text)).isTrue();
      repo.flush();
    }
    try (Repository repo = Repository.open(store, PW, RepositoryOptions.defaults(), Clock.systemUTC())) {
      assertThat(repo.loadBlob(BlobType.DATA, a)).isEqualTo(random);
      assertThat(repo.loadBlob(BlobType.DATA, b)).isEqualTo(text);
      PackedBlob pb = repo.lookup(BlobType.DATA, b);
      assertThat(pb.compressed()).isTrue();
      assertThat(pb.length()).isLessThan(text.length / 10);
      assertThat(repo.lookup(BlobType.DATA, a).compressed()).isFalse();
      assertThat(repo.readPackHeader(pb.pack())).contains(pb);
    }
  }

  @Test
  void anIndexFileReadWhileTheKeyIsDerivedIsCheckedAgainstItsName() throws Exception {
    InMemoryBlobStore store = new InMemoryBlobStore();
    byte[] blob = "checked".getBytes(StandardCharsets.UTF_8);
    try (Repository repo = init(store)) {
      repo.saveBlob(BlobType.DATA, Id.hash(blob), blob);
      repo.flush();
    }
    String key = store.list(FileType.INDEX.prefix()).get(0).key();
    byte[] damaged = store.get(key);
    damaged[damaged.length / 2] ^= 1;
    store.delete(key);
    store.put(key, damaged);
    assertThatThrownBy(() -> Repository.open(store, PW, RepositoryOptions.defaults(), Clock.systemUTC()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(key);
  }

  @Test
  void anIndexListedInAnotherIndexsSupersedesIsIgnored() throws Exception {
    InMemoryBlobStore store = new InMemoryBlobStore();
    byte[] blob = "moved".getBytes(StandardCharsets.UTF_8);
    Id id = Id.hash(blob);
    Id stale = Id.hash("a pack a prune removed".getBytes(StandardCharsets.UTF_8));
    try (Repository repo = init(store)) {
      repo.saveBlob(BlobType.DATA, id, blob);
      repo.flush();
      PackedBlob real = repo.lookup(BlobType.DATA, id);
      Id old = repo.writeIndex(List.of(new IndexFile.Pack(stale.hex(), List.of(
          new IndexFile.Blob(id.hex(), "data", 0, real.length(), null)))), List.of());
      repo.writeIndex(List.of(new IndexFile.Pack(real.pack().hex(), List.of(
          new IndexFile.Blob(id.hex(), "data", real.offset(), real.length(), (long) real.uncompressedLength())))),
          List.of(old));
      for (Id other : repo.list(FileType.INDEX)) {
        IndexFile f = Json.read(repo.loadFile(FileType.INDEX, other), IndexFile.class, "x");
        if (f.supersedes() == null || f.supersedes().isEmpty()) {
          if (!other.equals(old)) {
            store.delete(FileType.INDEX.key(other));
          }
        }
      }
    }
    try (Repository repo = Repository.open(store, PW, RepositoryOptions.defaults(), Clock.systemUTC())) {
      assertThat(repo.lookup(BlobType.DATA, id).pack()).isNotEqualTo(stale);
      assertThat(repo.loadBlob(BlobType.DATA, id)).isEqualTo(blob);
    }
  }

  @Test
  void dataAndTreeBlobsNeverShareAPack() {
    InMemoryBlobStore store = new InMemoryBlobStore();
    try (Repository repo = init(store)) {
      byte[] d = "data".getBytes(StandardCharsets.UTF_8);
      repo.saveBlob(BlobType.DATA, Id.hash(d), d);
      Id tree = repo.saveTree(Tree.sorted(List.of()));
      repo.flush();
      assertThat(repo.lookup(BlobType.DATA, Id.hash(d)).pack()).isNotEqualTo(repo.lookup(BlobType.TREE, tree).pack());
      assertThat(repo.readPackHeader(repo.lookup(BlobType.TREE, tree).pack()))
          .allMatch(p -> p.type() == BlobType.TREE);
    }
  }

  @Test
  void packsCloseAtTheTargetSize() {
    InMemoryBlobStore store = new InMemoryBlobStore();
    Random rnd = new Random(2);
    try (Repository repo = init(store)) {
      for (int i = 0; i < 10; i++) {
        byte[] blob = new byte[300_000];
        rnd.nextBytes(blob);
        repo.saveBlob(BlobType.DATA, Id.hash(blob), blob);
      }
      repo.flush();
      assertThat(repo.list(FileType.PACK)).hasSizeBetween(3, 4);
    }
  }

  @Test
  void aFlippedByteInAPackIsAnIntegrityErrorNotWrongData() throws Exception {
    InMemoryBlobStore store = new InMemoryBlobStore();
    byte[] blob = "precious".getBytes(StandardCharsets.UTF_8);
    Id id = Id.hash(blob);
    try (Repository repo = init(store)) {
      repo.saveBlob(BlobType.DATA, id, blob);
      repo.flush();
      PackedBlob pb = repo.lookup(BlobType.DATA, id);
      String key = FileType.PACK.key(pb.pack());
      byte[] pack = store.get(key);
      pack[(int) pb.offset() + 17] ^= 0x40;
      store.delete(key);
      store.put(key, pack);
      assertThatThrownBy(() -> repo.loadBlob(BlobType.DATA, id))
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining(pb.pack().shortHex());
    }
  }

  @Test
  void snapshotsAreListedAndFoundByPrefixAndLatest() {
    InMemoryBlobStore store = new InMemoryBlobStore();
    try (Repository repo = init(store)) {
      Id tree = repo.saveTree(Tree.sorted(List.of()));
      repo.flush();
      Id s1 = repo.saveSnapshot(new SnapshotFile("2024-01-01T00:00:00Z", null, tree.hex(), List.of("/a"),
          "h", "u", 0L, 0L, null, null, null, null));
      Id s2 = repo.saveSnapshot(new SnapshotFile("2024-01-02T00:00:00.5+01:00", null, tree.hex(), List.of("/a"),
          "h", "u", 0L, 0L, null, List.of("t"), null, null));
      assertThat(repo.snapshots()).extracting(Repository.Snapshot::id).containsExactly(s1, s2);
      assertThat(repo.findSnapshot("latest").id()).isEqualTo(s2);
      assertThat(repo.findSnapshot(s1.hex().substring(0, 10)).id()).isEqualTo(s1);
    }
  }

  @Test
  void snapshotsAreSelectedByTagsAndInstantAndAnIdMustMeetThemToo() {
    InMemoryBlobStore store = new InMemoryBlobStore();
    try (Repository repo = init(store)) {
      assertThatThrownBy(() -> repo.findSnapshot("latest", Set.of(), null))
          .hasMessage("no snapshot in the repository");
      Id tree = repo.saveTree(Tree.sorted(List.of()));
      repo.flush();
      Id a = repo.saveSnapshot(new SnapshotFile("2024-01-01T00:00:00Z", null, tree.hex(), List.of("/a"),
          "h", "u", 0L, 0L, null, List.of("plan:x"), null, null));
      Id b = repo.saveSnapshot(new SnapshotFile("2024-01-02T00:00:00Z", null, tree.hex(), List.of("/a"),
          "h", "u", 0L, 0L, null, List.of("plan:y"), null, null));
      Id c = repo.saveSnapshot(new SnapshotFile("2024-01-03T00:00:00Z", null, tree.hex(), List.of("/a"),
          "h", "u", 0L, 0L, null, List.of("plan:x"), null, null));
      Instant jan2 = Instant.parse("2024-01-02T00:00:00Z");
      assertThat(repo.findSnapshot("latest", Set.of(), null).id()).isEqualTo(c);
      assertThat(repo.findSnapshot("latest", Set.of(), jan2).id()).as("at or before").isEqualTo(b);
      assertThat(repo.findSnapshot("latest", Set.of("plan:x"), jan2).id()).isEqualTo(a);
      assertThat(repo.findSnapshot(c.shortHex(), Set.of("plan:x"), null).id()).isEqualTo(c);
      assertThatThrownBy(() -> repo.findSnapshot("latest", Set.of("plan:y"), Instant.parse("2024-01-01T12:00:00Z")))
          .hasMessage("no snapshot with tags [plan:y] taken at or before 2024-01-01T12:00:00Z;"
              + " the oldest with these tags was taken 2024-01-02T00:00:00Z");
      assertThatThrownBy(() -> repo.findSnapshot("latest", Set.of("plan:z"), null))
          .hasMessage("no snapshot with tags [plan:z]");
      assertThatThrownBy(() -> repo.findSnapshot(c.hex(), Set.of(), jan2))
          .hasMessage("snapshot " + c.shortHex() + " (taken 2024-01-03T00:00:00Z, tags [plan:x]) is not a snapshot"
              + " taken at or before 2024-01-02T00:00:00Z");
    }
  }

  @Test
  void keysCanBeAddedListedAndRemovedButNotTheOneInUse() {
    InMemoryBlobStore store = new InMemoryBlobStore();
    Id second;
    try (Repository repo = init(store)) {
      second = repo.addKey("second".toCharArray(), FAST);
      assertThat(repo.keys()).hasSize(2).filteredOn(Repository.KeyInfo::current).hasSize(1);
      assertThatThrownBy(() -> repo.removeKey(repo.keyId())).hasMessageContaining("in use");
    }
    try (Repository repo = Repository.open(store, "second".toCharArray(), RepositoryOptions.defaults(), Clock.systemUTC())) {
      assertThat(repo.keyId()).isEqualTo(second);
      Id first = repo.keys().stream().filter(k -> !k.current()).findFirst().orElseThrow().id();
      repo.removeKey(first);
      assertThat(repo.keys()).hasSize(1);
    }
    assertThatThrownBy(() -> Repository.open(store, PW, RepositoryOptions.defaults(), Clock.systemUTC()))
        .isInstanceOf(WrongPasswordException.class);
  }

  @Test
  void unpackedFilesAreCompressedInVersionTwoAndPlainInVersionOne() throws Exception {
    for (int version : new int[] {1, 2}) {
      InMemoryBlobStore store = new InMemoryBlobStore();
      try (Repository repo = Repository.init(store, PW, FAST, RepositoryOptions.defaults(), Clock.systemUTC(), version)) {
        byte[] json = "{\"packs\":[]}".getBytes(StandardCharsets.UTF_8);
        Id id = repo.saveFile(FileType.INDEX, json);
        assertThat(repo.loadFile(FileType.INDEX, id)).isEqualTo(json);
        byte[] plain = repo.masterKey().decrypt(store.get(FileType.INDEX.key(id)));
        assertThat(plain[0]).isEqualTo(version == 2 ? (byte) 2 : (byte) '{');
      }
    }
  }
}
