package io.holdfast.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.RestorePlan;
import io.holdfast.RestoreReport;
import io.holdfast.posix.CallbackGate;
import io.holdfast.posix.DirectoryDataset;
import io.holdfast.testkit.DirectoryListing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A host application with config and metadata on disk and blobs in a bucket, backed up under one
 * gate while a writer keeps changing all three, then restored to a new root and a new bucket.
 */
class BucketPlanTest {
  @RegisterExtension
  final S3ProxyExtension proxy = S3Fixture.proxy();

  @TempDir
  Path tmp;

  final S3Fixture.Events events = new S3Fixture.Events();
  S3Client s3;
  S3Client appClient;
  App app;
  Path repoDir;

  @BeforeEach
  void setUp() throws Exception {
    s3 = S3Fixture.client(proxy.getUri(), events);
    appClient = S3Fixture.client(proxy.getUri());
    repoDir = S3Fixture.initRepo(tmp.resolve("repo"));
  }

  @AfterEach
  void tearDown() {
    s3.close();
    appClient.close();
  }

  /** The application: every write changes a blob and the metadata index that lists all blobs. */
  final class App {
    static final int PERMITS = 16;
    final String bucket;
    final Path config;
    final Path metadata;
    final Semaphore permits = new Semaphore(PERMITS);
    final Map<String, String> blobs = new ConcurrentSkipListMap<>();
    final AtomicInteger seq = new AtomicInteger();
    volatile Map<String, String> atHold;

    App(String bucket) throws Exception {
      this.bucket = bucket;
      this.config = Files.createDirectories(tmp.resolve("etc"));
      this.metadata = Files.createDirectories(tmp.resolve("meta"));
      Files.writeString(config.resolve("app.yml"), "bucket: " + bucket + "\n");
      for (String k : List.of("docs/readme.txt", "docs/deep/er/file.bin", "100% done.txt", "space name", "x")) {
        write(k);
      }
      for (int i = 0; i < 20; i++) {
        write("photos/p" + i + ".jpg");
      }
    }

    void write(String key) throws Exception {
      permits.acquire();
      try {
        int n = seq.incrementAndGet();
        String content = "version " + n + " of " + key + "\n" + "x".repeat(n * 37 % 2000);
        appClient.putObject(b -> b.bucket(bucket).key("blobs/" + key).contentType("text/plain; v=" + n)
            .metadata(Map.of("seq", Integer.toString(n))), RequestBody.fromString(content));
        // one index writer at a time: writers share the temporary file, and a later index must not
        // be replaced by an earlier one
        synchronized (this) {
          blobs.put(key, content);
          Path next = metadata.resolve("index.txt.tmp");
          Files.writeString(next, index(blobs));
          Files.move(next, metadata.resolve("index.txt"), StandardCopyOption.ATOMIC_MOVE);
        }
      } finally {
        permits.release();
      }
    }

    /** One write: a new blob, or a new version of an old one. */
    void writeSome(int i) throws Exception {
      List<String> keys = new ArrayList<>(blobs.keySet());
      write(i % 2 == 0 ? keys.get(i % keys.size()) : "new/n" + i);
    }

    void hold() throws Exception {
      permits.acquire(PERMITS);
      events.add("acquire");
      atHold = new TreeMap<>(blobs);
    }

    void resume() throws Exception {
      events.add("release");
      permits.release(PERMITS);
      // the application writes again at once: before the backup has read a single object
      for (int i = 0; i < 6; i++) {
        writeSome(1000 + i);
      }
    }
  }

  static String index(Map<String, String> blobs) {
    StringBuilder b = new StringBuilder();
    blobs.forEach((k, v) -> b.append(k).append(' ').append(sha(v)).append('\n'));
    return b.toString();
  }

  static String sha(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private BackupReport backUpWhileWriting(S3BucketDataset blobs) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      for (int i = 0; !stop.get(); i++) {
        try {
          app.writeSome(i);
          Thread.sleep(2);
        } catch (Exception e) {
          return;
        }
      }
    }, "app-writer");
    writer.start();
    try {
      BackupPlan plan = BackupPlan.builder("files")
          .dataset(DirectoryDataset.live("config", app.config))
          .dataset(DirectoryDataset.live("metadata", app.metadata))
          .dataset(blobs)
          .gate(CallbackGate.of("app", app::hold, app::resume))
          .repository(S3Fixture.repo(repoDir))
          .appVersion("7.1")
          .build();
      try (BackupEngine engine = BackupEngine.builder().build()) {
        return engine.backup(plan);
      }
    } finally {
      stop.set(true);
      writer.join();
    }
  }

  /** Restores config and metadata to a new root and the blobs to a new bucket; checks they agree. */
  private void restoreAndCheck(BackupReport report) throws Exception {
    Path root = tmp.resolve("restored");
    RestoreReport files = BackupEngine.run(RestorePlan.builder(S3Fixture.repo(repoDir))
        .dataset("config").dataset("metadata").targetRoot(root).build());
    assertThat(files.failure()).isEmpty();
    S3Fixture.bucket(appClient, "restored", false);
    S3BucketRestore.Report r = S3Fixture.restore(repoDir, "blobs", appClient, "restored").build().run();
    assertThat(r.snapshotId()).isEqualTo(report.snapshotId().orElseThrow());
    assertThat(r.changes()).allMatch(c -> c.action() == S3BucketRestore.Action.PUT).hasSize(app.atHold.size());
    Map<String, String> restored = S3Fixture.contents(appClient, "restored", "blobs/");
    assertThat(restored).isEqualTo(app.atHold);
    assertThat(app.blobs).isNotEqualTo(app.atHold); // the application did change things after the hold
    assertThat(Files.readString(root.resolve("metadata/index.txt"))).isEqualTo(index(restored));
    assertThat(DirectoryListing.of(root.resolve("config"))).isEqualTo(DirectoryListing.of(app.config));
    for (String key : restored.keySet()) {
      var head = appClient.headObject(b -> b.bucket("restored").key("blobs/" + key));
      String seq = head.metadata().get("seq");
      assertThat(restored.get(key)).startsWith("version " + seq + " of ");
      assertThat(head.contentType()).isEqualTo("text/plain; v=" + seq);
    }
  }

  @Test
  void versionPinnedBlobsAreListedInsideTheHoldAndReadAfterIt() throws Exception {
    S3Fixture.bucket(appClient, "app-blobs", true);
    app = new App("app-blobs");
    BackupReport report = backUpWhileWriting(
        S3BucketDataset.builder("blobs", s3, "app-blobs").prefix("blobs/").stagingDirectory(tmp).build());
    assertThat(report.failure()).isEmpty();
    assertThat(report.warnings()).isEmpty();

    long acquire = events.first("acquire");
    long release = events.first("release");
    assertThat(events.seqs("ListObjectVersions")).isNotEmpty().allMatch(s -> s > acquire && s < release);
    assertThat(events.seqs("GetObject")).hasSize(app.atHold.size()).allMatch(s -> s > release);
    assertThat(events.seqs("HeadObject")).hasSize(app.atHold.size()).allMatch(s -> s > release);
    assertThat(report.datasets().get(2).externalReferences())
        .containsEntry("s3.versions", "pinned").containsEntry("s3.objects", Integer.toString(app.atHold.size()));
    restoreAndCheck(report);
  }

  @Test
  void liveListedBlobsAreListedAndReadInsideTheHold() throws Exception {
    S3Fixture.bucket(appClient, "plain-blobs", false);
    app = new App("plain-blobs");
    BackupReport report = backUpWhileWriting(S3BucketDataset.builder("blobs", s3, "plain-blobs").prefix("blobs/")
        .liveListing().stagingDirectory(tmp).build());
    assertThat(report.failure()).isEmpty();

    long acquire = events.first("acquire");
    long release = events.first("release");
    assertThat(events.seqs("ListObjectsV2")).isNotEmpty().allMatch(s -> s > acquire && s < release);
    assertThat(events.seqs("GetObject")).hasSize(app.atHold.size()).allMatch(s -> s > acquire && s < release);
    restoreAndCheck(report);
  }

  @Test
  void aVersionPinnedSnapshotOfABucketWithoutVersioningFailsNamingTheFix() throws Exception {
    S3Fixture.bucket(appClient, "plain-blobs", false);
    S3Fixture.put(appClient, "plain-blobs", "a", "a");
    BackupReport report = BackupEngine.run(BackupPlan.builder("files")
        .dataset(S3BucketDataset.builder("blobs", s3, "plain-blobs").build())
        .repository(S3Fixture.repo(repoDir)).build());
    assertThat(report.failure()).isPresent();
    assertThat(report.failure().get().message()).contains("plain-blobs", "versioning", "liveListing()");
    assertThat(report.snapshotId()).isEmpty();
  }

  @Test
  void aSecondBackupReadsOnlyTheObjectsThatChanged() throws Exception {
    S3Fixture.bucket(appClient, "twice", true);
    for (String k : List.of("a", "b", "c/d")) {
      S3Fixture.put(appClient, "twice", k, "first " + k);
    }
    BackupPlan plan = BackupPlan.builder("twice")
        .dataset(S3BucketDataset.builder("blobs", s3, "twice").stagingDirectory(tmp).build())
        .repository(S3Fixture.repo(repoDir)).build();
    BackupEngine.run(plan).orThrow();
    S3Fixture.put(appClient, "twice", "b", "second b, longer");
    events.all.clear();

    BackupReport second = BackupEngine.run(plan).orThrow();
    assertThat(events.seqs("GetObject")).hasSize(1);
    assertThat(second.datasets().get(0).filesUnmodified()).isEqualTo(2);
    S3Fixture.bucket(appClient, "copy", false);
    S3Fixture.restore(repoDir, "blobs", appClient, "copy").build().run();
    assertThat(S3Fixture.contents(appClient, "copy", "")).containsEntry("b", "second b, longer")
        .containsEntry("a", "first a").containsEntry("c/d", "first c/d");
  }
}
