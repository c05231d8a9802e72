package io.holdfast.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.storage.InMemoryBlobStore;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BucketFileSystemTest {
  @TempDir
  Path tmp;

  /** A bucket in memory: key to content and metadata; counts opens. */
  static final class FakeBucket implements BucketReader {
    final Map<String, byte[]> objects = new TreeMap<>();
    final Map<String, ObjectMetadata> metadata = new HashMap<>();
    final AtomicInteger opens = new AtomicInteger();
    final Map<String, Long> froms = new ConcurrentHashMap<>();

    @Override
    public InputStream open(String key, String versionId, long from) throws IOException {
      byte[] b = objects.get(key + "@" + versionId);
      if (b == null) {
        throw new NoSuchFileException(key);
      }
      opens.incrementAndGet();
      froms.put(key, from);
      return new ByteArrayInputStream(b, (int) from, b.length - (int) from);
    }

    @Override
    public ObjectMetadata head(String key, String versionId) throws IOException {
      if (!objects.containsKey(key + "@" + versionId)) {
        throw new NoSuchFileException(key);
      }
      return metadata.get(key);
    }

    BucketListing listing(String prefix) {
      BucketListing l = new BucketListing();
      objects.forEach((kv, b) -> {
        String key = kv.substring(0, kv.lastIndexOf('@'));
        l.add(key.substring(prefix.length()), new BucketListing.ObjectFile(kv.substring(kv.lastIndexOf('@') + 1),
            "etag-" + b.length, b.length, 1_700_000_000_000L + b.length));
      });
      return l.freeze();
    }

    void put(String key, String content) {
      objects.put(key + "@v1", content.getBytes(StandardCharsets.UTF_8));
      metadata.put(key, new ObjectMetadata("text/x-" + (key.length() % 7), null, null, null, null,
          Map.of("len", Integer.toString(content.length()))));
    }
  }

  private BucketFileSystem fs(FakeBucket bucket, String prefix) {
    return new BucketFileSystem(bucket.listing(prefix), bucket, prefix,
        new MetadataSidecar(bucket.listing(prefix), bucket, "b", prefix, true, Instant.EPOCH, tmp));
  }

  @Test
  void theTreeShowsPrefixesAsDirectoriesAndObjectsAsFiles() throws Exception {
    FakeBucket bucket = new FakeBucket();
    bucket.put("p/docs/a.txt", "alpha");
    bucket.put("p/docs/deep/b.txt", "beta!");
    bucket.put("p/c", "gamma");
    try (BucketFileSystem fs = fs(bucket, "p/")) {
      Path root = fs.root();
      List<String> top = new ArrayList<>();
      try (var ds = Files.newDirectoryStream(root)) {
        ds.forEach(p -> top.add(p.getFileName().toString()));
      }
      assertThat(top).containsExactly("c", "docs", ".holdfast-s3");
      assertThat(Files.isDirectory(root.resolve("docs/deep"))).isTrue();
      assertThat(Files.readString(root.resolve("docs/deep/b.txt"))).isEqualTo("beta!");
      BasicFileAttributes a = Files.readAttributes(root.resolve("docs/a.txt"), BasicFileAttributes.class);
      assertThat(a.size()).isEqualTo(5);
      assertThat(a.lastModifiedTime().toMillis()).isEqualTo(1_700_000_000_005L);
      assertThat(a.fileKey()).isEqualTo("etag-5");
      assertThat(Files.exists(root.resolve("docs/nope"))).isFalse();
      assertThatThrownBy(() -> Files.writeString(root.resolve("new"), "x")).isInstanceOf(ReadOnlyFileSystemException.class);
      assertThatThrownBy(() -> Files.delete(root.resolve("c"))).isInstanceOf(ReadOnlyFileSystemException.class);
    }
  }

  @Test
  void aChannelSeeksWithARangedRead() throws Exception {
    FakeBucket bucket = new FakeBucket();
    bucket.put("k", "0123456789");
    try (BucketFileSystem fs = fs(bucket, "");
        SeekableByteChannel ch = Files.newByteChannel(fs.root().resolve("k"))) {
      assertThat(ch.size()).isEqualTo(10);
      ch.position(6);
      ByteBuffer buf = ByteBuffer.allocate(10);
      ch.read(buf);
      assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8)).isEqualTo("6789");
      assertThat(bucket.froms).containsEntry("k", 6L);
      assertThat(ch.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }
  }

  @Test
  void theMetadataFileListsEveryObjectWithItsHeadersAndIsDeletedOnClose() throws Exception {
    FakeBucket bucket = new FakeBucket();
    bucket.put("p/a", "1");
    bucket.put("p/x/", "");
    bucket.put("p/x/y", "22");
    Path file;
    List<MetadataSidecar.Line> lines = new ArrayList<>();
    try (BucketFileSystem fs = fs(bucket, "p/")) {
      Path side = fs.root().resolve(".holdfast-s3/metadata.jsonl");
      try (BufferedReader in = Files.newBufferedReader(side)) {
        MetadataSidecar.Header h = MetadataSidecar.read(in, x -> {}, lines::add);
        assertThat(h.bucket()).isEqualTo("b");
        assertThat(h.prefix()).isEqualTo("p/");
        assertThat(h.objects()).isEqualTo(3);
      }
      file = fs.sidecar().file();
      assertThat(Files.readAttributes(side, BasicFileAttributes.class).size()).isEqualTo(Files.size(file));
    }
    assertThat(file).doesNotExist();
    assertThat(lines).extracting(MetadataSidecar.Line::key).containsExactlyInAnyOrder("a", "x/", "x/y");
    MetadataSidecar.Line marker = lines.stream().filter(l -> l.key().equals("x/")).findFirst().orElseThrow();
    assertThat(marker.path()).isEqualTo("x/%");
    assertThat(marker.metadata()).isEqualTo(bucket.metadata.get("p/x/"));
    assertThat(marker.versionId()).isEqualTo("v1");
  }

  /** Awkward and random keys: backed up from the view, restored to disk, read back as the same keys. */
  @Test
  void anyKeysSurviveABackupAndRestoreAsFilesNamedReversibly() throws Exception {
    FakeBucket bucket = new FakeBucket();
    List<String> keys = new ArrayList<>(List.of("a//b", "/lead", "d/../e", "d/./f", "dir/", "dir/in", "a", "a/b",
        "x\0y", "%", "100%/25", "n".repeat(300), "n".repeat(300) + "/below", "é".repeat(200), ".holdfast-s3/x", "..", "."));
    Random r = new Random(11);
    for (int i = 0; i < 150; i++) {
      keys.add(KeyNamesTest.randomKey(r));
    }
    Map<String, String> want = new TreeMap<>();
    for (String k : keys) {
      String content = "content of " + k.hashCode() + " " + k.length();
      bucket.put("pre/" + k, content);
      want.put(k, content);
    }
    Repository repo = Repository.init(new InMemoryBlobStore(), "pw".toCharArray(), new ScryptParams(1024, 8, 1),
        RepositoryOptions.defaults(), Clock.systemUTC());
    try (BucketFileSystem fs = fs(bucket, "pre/"); Archiver a = new Archiver(repo, 2)) {
      BackupStats stats = new BackupStats();
      a.backup(List.of(new Archiver.Source("blobs", fs.root())), null, List.of(), stats);
      assertThat(stats.warnings()).isEmpty();
    }
    Path out = tmp.resolve("out");
    try (Restorer restorer = new Restorer(repo, 2)) {
      restorer.restore(repo.findSnapshot("latest"), "blobs", out);
    }
    Map<String, String> got = new TreeMap<>();
    Files.walkFileTree(out, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path rel = out.relativize(file);
        if (!rel.startsWith(KeyNames.RESERVED)) {
          List<String> names = new ArrayList<>();
          rel.forEach(n -> names.add(n.toString()));
          got.put(KeyNames.key(names), Files.readString(file));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    assertThat(got).isEqualTo(want);
    List<String> recorded = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(out.resolve(".holdfast-s3/metadata.jsonl"))) {
      MetadataSidecar.read(in, h -> {}, l -> {
        recorded.add(l.key());
        assertThat(out.resolve(l.path())).hasContent(want.get(l.key()));
      });
    }
    assertThat(recorded).containsExactlyInAnyOrderElementsOf(want.keySet());
  }
}
