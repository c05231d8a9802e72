package io.holdfast.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.HoldfastException;
import io.holdfast.s3.S3BucketRestore.Action;
import io.holdfast.s3.S3BucketRestore.Change;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

class BucketRestoreTest {
  private static final long PART = 5L * 1024 * 1024;

  @RegisterExtension
  final S3ProxyExtension proxy = S3Fixture.proxy();

  @TempDir
  Path tmp;

  S3Client s3;
  Path repoDir;

  @BeforeEach
  void setUp() throws Exception {
    s3 = S3Fixture.client(proxy.getUri());
    repoDir = S3Fixture.initRepo(tmp.resolve("repo"));
    S3Fixture.bucket(s3, "src", true);
    s3.putObject(b -> b.bucket("src").key("data/a.txt").contentType("text/plain").cacheControl("max-age=60")
        .metadata(Map.of("owner", "ann")), RequestBody.fromString("alpha"));
    s3.putObject(b -> b.bucket("src").key("data/sub/b.txt").contentType("text/csv")
        .metadata(Map.of("owner", "bob", "rows", "2")), RequestBody.fromString("b,1\nb,2\n"));
    S3Fixture.put(s3, "src", "data/empty", "");
    S3Fixture.put(s3, "src", "other/not-in-dataset", "x");
  }

  @AfterEach
  void tearDown() {
    s3.close();
  }

  private BackupReport backup() throws Exception {
    return BackupEngine.run(BackupPlan.builder("bucket")
        .dataset(S3BucketDataset.builder("blobs", s3, "src").prefix("data/").stagingDirectory(tmp).build())
        .repository(S3Fixture.repo(repoDir)).build()).orThrow();
  }

  private S3BucketRestore.Builder restore(String bucket) throws Exception {
    return S3Fixture.restore(repoDir, "blobs", s3, bucket).partSize(PART);
  }

  @Test
  void aFailedPartOfARestoreAbortsItsUploadAndAFailedAbortIsNamed() throws Exception {
    byte[] big = new byte[(int) PART + 10]; // two parts when restored
    new Random(4).nextBytes(big);
    s3.putObject(b -> b.bucket("src").key("data/big.bin"), RequestBody.fromBytes(big));
    backup();
    S3Fixture.bucket(s3, "copy", false);
    java.util.concurrent.atomic.AtomicBoolean failAbort = new java.util.concurrent.atomic.AtomicBoolean();
    ExecutionInterceptor failSecondPart = S3Fixture.failing(r -> r instanceof UploadPartRequest u && u.partNumber() == 2
        || r instanceof AbortMultipartUploadRequest && failAbort.get());
    try (S3Client failing = S3Fixture.client(proxy.getUri(), failSecondPart)) {
      assertThatThrownBy(() -> S3Fixture.restore(repoDir, "blobs", failing, "copy").partSize(PART).build().run())
          .hasMessageContaining("injected failure");
      assertThat(s3.listMultipartUploads(b -> b.bucket("copy")).uploads()).as("aborted").isEmpty();

      failAbort.set(true);
      assertThatThrownBy(() -> S3Fixture.restore(repoDir, "blobs", failing, "copy").partSize(PART).build().run())
          .satisfies(e -> assertThat(e.getSuppressed()).singleElement().satisfies(x -> assertThat(x)
              .hasMessageContaining("could not abort multipart upload")
              .hasMessageContaining("data/big.bin in bucket copy")
              .hasMessageContaining("AbortIncompleteMultipartUpload")));
      assertThat(s3.listMultipartUploads(b -> b.bucket("copy")).uploads()).hasSize(1);
    }
  }

  @Test
  void aRestoreWritesEverythingOnceThenOnlyWhatChanged() throws Exception {
    byte[] big = new byte[(int) PART + 123_457]; // two parts when restored
    new Random(3).nextBytes(big);
    s3.putObject(b -> b.bucket("src").key("data/big.bin").contentType("application/x-big"), RequestBody.fromBytes(big));
    backup();
    S3Fixture.bucket(s3, "copy", false);
    S3BucketRestore.Report first = restore("copy").build().run();
    assertThat(first.changes()).extracting(Change::action, Change::key).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Action.PUT, "a.txt"), org.assertj.core.groups.Tuple.tuple(Action.PUT, "big.bin"),
        org.assertj.core.groups.Tuple.tuple(Action.PUT, "empty"), org.assertj.core.groups.Tuple.tuple(Action.PUT, "sub/b.txt"));
    assertThat(first.prefix()).isEqualTo("data/");
    assertThat(S3Fixture.contents(s3, "copy", "")).isEqualTo(S3Fixture.contents(s3, "src", "data/").entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(e -> "data/" + e.getKey(), Map.Entry::getValue)));
    var a = s3.headObject(b -> b.bucket("copy").key("data/a.txt"));
    assertThat(a.contentType()).isEqualTo("text/plain");
    assertThat(a.cacheControl()).isEqualTo("max-age=60");
    assertThat(a.metadata()).isEqualTo(Map.of("owner", "ann"));
    assertThat(s3.headObject(b -> b.bucket("copy").key("data/big.bin")).eTag()).endsWith("-2\"");

    // the multipart object written above is recognised by its computed ETag
    S3BucketRestore.Report again = restore("copy").build().run();
    assertThat(again.changes()).isEmpty();
    assertThat(again.unchanged()).isEqualTo(4);
    assertThat(again.bytesWritten()).isZero();
  }

  @Test
  void aDryRunListsPutsOverwritesMetadataAndDeletesWithoutWriting() throws Exception {
    backup();
    S3Fixture.bucket(s3, "copy", false);
    restore("copy").build().run();
    S3Fixture.put(s3, "copy", "data/a.txt", "changed");
    s3.putObject(b -> b.bucket("copy").key("data/sub/b.txt").contentType("text/plain")
        .metadata(Map.of("owner", "bob", "rows", "2")), RequestBody.fromString("b,1\nb,2\n"));
    s3.deleteObject(b -> b.bucket("copy").key("data/empty"));
    S3Fixture.put(s3, "copy", "data/later.txt", "written after the snapshot");
    Map<String, String> before = S3Fixture.contents(s3, "copy", "");

    S3BucketRestore.Report dry = restore("copy").deleteExtra().dryRun().build().run();
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.changes()).containsExactly(new Change(Action.OVERWRITE, "a.txt", 5),
        new Change(Action.PUT, "empty", 0), new Change(Action.DELETE, "later.txt", 26),
        new Change(Action.METADATA, "sub/b.txt", 8));
    assertThat(dry.unchanged()).isZero();
    assertThat(S3Fixture.contents(s3, "copy", "")).isEqualTo(before);
    assertThat(s3.headObject(b -> b.bucket("copy").key("data/sub/b.txt")).contentType()).isEqualTo("text/plain");

    S3BucketRestore.Report keep = restore("copy").build().run();
    assertThat(keep.changes()).extracting(Change::action).doesNotContain(Action.DELETE).hasSize(3);
    assertThat(S3Fixture.contents(s3, "copy", "data/")).containsKey("later.txt");
    assertThat(s3.headObject(b -> b.bucket("copy").key("data/sub/b.txt")).contentType()).isEqualTo("text/csv");

    restore("copy").deleteExtra().build().run();
    assertThat(S3Fixture.contents(s3, "copy", "data/")).isEqualTo(S3Fixture.contents(s3, "src", "data/"));
    assertThat(restore("copy").deleteExtra().build().run().changes()).isEmpty();
  }

  @Test
  void aBucketComesBackAsOfAnInstantUnderAnotherPrefix() throws Exception {
    backup();
    Instant between = Instant.now();
    S3Fixture.put(s3, "src", "data/a.txt", "second");
    S3Fixture.put(s3, "src", "data/new.txt", "new");
    s3.deleteObject(b -> b.bucket("src").key("data/empty")); // its latest version is now a delete marker
    backup();

    S3Fixture.bucket(s3, "copy", false);
    restore("copy").asOf(between).prefix("then/").build().run();
    restore("copy").prefix("now/").build().run();
    assertThat(S3Fixture.contents(s3, "copy", "then/")).containsEntry("a.txt", "alpha").containsKey("empty")
        .doesNotContainKey("new.txt");
    assertThat(S3Fixture.contents(s3, "copy", "now/")).containsEntry("a.txt", "second").containsKey("new.txt")
        .doesNotContainKey("empty");
  }

  @Test
  void theSourceBucketComesBackInPlace() throws Exception {
    backup();
    S3Fixture.put(s3, "src", "data/a.txt", "broken");
    s3.deleteObject(b -> b.bucket("src").key("data/sub/b.txt"));
    S3BucketRestore.Report r = restore("src").build().run();
    assertThat(r.changes()).containsExactly(new Change(Action.OVERWRITE, "a.txt", 5), new Change(Action.PUT, "sub/b.txt", 8));
    assertThat(S3Fixture.contents(s3, "src", "data/")).containsEntry("a.txt", "alpha").containsEntry("sub/b.txt", "b,1\nb,2\n");
  }

  @Test
  void aDatasetThatIsNotABucketIsRefused() throws Exception {
    java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(tmp.resolve("dir")).resolve("f"), "f");
    BackupEngine.run(BackupPlan.builder("dir").dataset(io.holdfast.posix.DirectoryDataset.live("blobs", tmp.resolve("dir")))
        .repository(S3Fixture.repo(repoDir)).build()).orThrow();
    assertThatThrownBy(() -> restore("src").build().run()).isInstanceOf(HoldfastException.class)
        .hasMessageContaining("not an S3 bucket dataset");
  }
}
