package io.holdfast.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.storage.BlobInfo;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** What only the S3 store does: multipart uploads, prefixes, conditional writes, S3 errors. */
class S3BlobStoreTest {
  static final int PART = S3BlobStore.MIN_PART_SIZE;
  static InProcessS3 s3;
  String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = InProcessS3.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    s3.close();
  }

  @BeforeEach
  void newBucket() {
    bucket = s3.newBucket();
  }

  private static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  @Test
  void aLargeObjectGoesUpInPartsAndReadsBackExactlyAcrossPartBoundaries() throws IOException {
    RequestCounter requests = new RequestCounter();
    byte[] data = bytes(2 * PART + 17, 1);
    try (S3Client client = s3.client(requests);
        S3BlobStore store = S3BlobStore.builder().client(client).bucket(bucket).partSize(PART)
            .uploadConcurrency(3).build()) {
      store.put("data/ab/big", data, 0, data.length);

      assertThat(requests.count("UploadPart")).isEqualTo(3);
      assertThat(requests.count("CompleteMultipartUpload")).isEqualTo(1);
      assertThat(requests.count("PutObject")).isZero();
      assertThat(Arrays.equals(store.get("data/ab/big"), data)).isTrue();
      assertThat(store.get("data/ab/big", PART - 5, 10)).isEqualTo(Arrays.copyOfRange(data, PART - 5, PART + 5));
      assertThat(store.get("data/ab/big", data.length - 17, 17))
          .isEqualTo(Arrays.copyOfRange(data, data.length - 17, data.length));
      assertThat(store.stat("data/ab/big")).isEqualTo(new BlobInfo("data/ab/big", data.length));
      assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    }
  }

  @Test
  void aRangeOfAMultipartPutIsStoredWithoutItsSurroundings() throws IOException {
    byte[] data = bytes(3 * PART, 2);
    try (S3BlobStore store = s3.store(bucket).partSize(PART).multipartThreshold(PART).build()) {
      store.put("data/cd/range", data, 100, 2 * PART + 1);

      assertThat(Arrays.equals(store.get("data/cd/range"), Arrays.copyOfRange(data, 100, 100 + 2 * PART + 1)))
          .isTrue();
    }
  }

  @Test
  void aFailedPartAbortsTheUploadAndLeavesNothingBehind() throws IOException {
    AtomicInteger parts = new AtomicInteger();
    ExecutionInterceptor failThirdPart = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof UploadPartRequest && parts.incrementAndGet() == 3) {
          throw new IllegalStateException("injected failure of part 3");
        }
      }
    };
    try (S3Client client = s3.client(failThirdPart);
        S3BlobStore store = S3BlobStore.builder().client(client).bucket(bucket).partSize(PART).build()) {
      assertThatThrownBy(() -> store.put("data/ef/broken", bytes(4 * PART, 3)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("data/ef/broken")
          .hasMessageContaining(bucket);

      assertThatThrownBy(() -> store.stat("data/ef/broken")).isInstanceOf(NoSuchFileException.class);
      assertThat(store.list("")).isEmpty();
      assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
      // and the key is still free
      store.put("data/ef/broken", bytes(100, 4));
      assertThat(store.get("data/ef/broken")).isEqualTo(bytes(100, 4));
    }
  }

  @Test
  void anAbortThatFailsAfterAFailedPartIsNamedInTheErrorWithWhatRemovesTheParts() throws IOException {
    AtomicInteger parts = new AtomicInteger();
    ExecutionInterceptor failPartAndAbort = S3Fixture.failing(r -> r instanceof UploadPartRequest
        && parts.incrementAndGet() == 2 || r instanceof AbortMultipartUploadRequest);
    try (S3Client client = s3.client(failPartAndAbort);
        S3BlobStore store = S3BlobStore.builder().client(client).bucket(bucket).partSize(PART).build()) {
      String upload;
      try {
        store.put("data/ef/stuck", bytes(3 * PART, 5));
        throw new AssertionError("the put succeeded");
      } catch (IOException e) {
        assertThat(e).hasMessageContaining("data/ef/stuck");
        upload = client.listMultipartUploads(r -> r.bucket(bucket)).uploads().get(0).uploadId();
        assertThat(e.getSuppressed()).singleElement().satisfies(x -> assertThat(x)
            .hasMessageContaining("could not abort multipart upload " + upload + " of data/ef/stuck in bucket " + bucket)
            .hasMessageContaining("AbortIncompleteMultipartUpload"));
      }
      try (S3Client plain = s3.client()) {
        plain.abortMultipartUpload(r -> r.bucket(bucket).key("data/ef/stuck").uploadId(upload));
      }
    }
  }

  @Test
  void concurrentMultipartPutsOfOneKeyHaveExactlyOneWinner() throws Exception {
    int writers = 4;
    try (S3BlobStore store = s3.store(bucket).partSize(PART).uploadConcurrency(8).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        CyclicBarrier start = new CyclicBarrier(writers);
        List<Future<?>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          byte[] data = new byte[2 * PART + 1];
          Arrays.fill(data, (byte) w);
          results.add(pool.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            store.put("data/aa/contended", data);
            return null;
          }));
        }
        List<Integer> winners = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          try {
            results.get(w).get();
            winners.add(w);
          } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(FileAlreadyExistsException.class);
          }
        }
        assertThat(winners).hasSize(1);
        byte[] expected = new byte[2 * PART + 1];
        Arrays.fill(expected, (byte) (int) winners.get(0));
        assertThat(Arrays.equals(store.get("data/aa/contended"), expected)).isTrue();
      } finally {
        pool.shutdownNow();
      }
      assertThat(s3.admin().listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    }
  }

  @Test
  void objectsLieUnderThePrefixAndStoresWithOtherPrefixesDoNotSeeThem() throws IOException {
    try (S3BlobStore a = s3.store(bucket).prefix("/hosts/a/").build();
        S3BlobStore b = s3.store(bucket).prefix("hosts/b").build()) {
      a.put("config", bytes(10, 5));
      b.put("data/00/x", bytes(20, 6));

      assertThat(a.list("")).containsExactly(new BlobInfo("config", 10));
      assertThat(b.list("")).containsExactly(new BlobInfo("data/00/x", 20));
      assertThatThrownBy(() -> b.get("config")).isInstanceOf(NoSuchFileException.class);
      assertThat(s3.admin().listObjectsV2(r -> r.bucket(bucket)).contents()).extracting(S3Object::key)
          .containsExactlyInAnyOrder("hosts/a/config", "hosts/b/data/00/x");
      assertThat(a.prefix()).isEqualTo("hosts/a");
      assertThat(a.bucket()).isEqualTo(bucket);
    }
  }

  @Test
  void listSkipsObjectsWhoseNamesAreNotKeys() throws IOException {
    s3.admin().putObject(r -> r.bucket(bucket).key("repo/data/"), RequestBody.empty());
    s3.admin().putObject(r -> r.bucket(bucket).key("repo/.DS_Store"), RequestBody.fromString("x"));
    try (S3BlobStore store = s3.store(bucket).prefix("repo").build()) {
      store.put("data/01/a", bytes(3, 7));

      assertThat(store.list("")).containsExactly(new BlobInfo("data/01/a", 3));
    }
  }

  @Test
  void listPagesThroughMoreObjectsThanOneResponseHolds() throws IOException {
    RequestCounter requests = new RequestCounter();
    try (S3Client client = s3.client(requests);
        S3BlobStore store = S3BlobStore.builder().client(client).bucket(bucket).listPageSize(2).build()) {
      for (int i = 0; i < 7; i++) {
        store.put("index/" + i, bytes(i, i));
      }
      store.put("snapshots/1", bytes(1, 1));

      assertThat(keys(store.list("index/"))).containsExactlyInAnyOrder(
          "index/0", "index/1", "index/2", "index/3", "index/4", "index/5", "index/6");
      assertThat(requests.count("ListObjectsV2")).isEqualTo(4);
    }
  }

  private static List<String> keys(List<BlobInfo> infos) {
    return infos.stream().map(BlobInfo::key).toList();
  }

  @Test
  void withoutConditionalWritesASecondPutIsStillRefused() throws IOException {
    RequestCounter requests = new RequestCounter();
    try (S3Client client = s3.client(requests);
        S3BlobStore store = S3BlobStore.builder().client(client).bucket(bucket).conditionalWrites(false).build()) {
      store.put("snapshots/1", bytes(10, 8));

      assertThatThrownBy(() -> store.put("snapshots/1", bytes(10, 9)))
          .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("snapshots/1");
      assertThat(store.get("snapshots/1")).isEqualTo(bytes(10, 8));
      assertThat(requests.count("HeadObject")).isEqualTo(2);
    }
  }

  @Test
  void aServerWithoutConditionalWritesMakesTheStoreFallBackToCheckThenPut() throws IOException {
    try (FakeS3 fake = new FakeS3(r -> r.ifNoneMatch() ? new FakeS3.Answer(501, "NotImplemented", "no conditions")
            : r.method().equals("HEAD") ? new FakeS3.Answer(404, "NoSuchKey", "none") : FakeS3.Answer.ok());
        S3BlobStore store = S3BlobStore.builder().endpoint(fake.endpoint()).region("us-east-1").pathStyle(true)
            .credentials("ak", "sk").checksumsOnlyWhenRequired(true).bucket("b").build()) {
      store.put("keys/1", bytes(10, 10));
      store.put("keys/2", bytes(10, 11));

      assertThat(fake.seen).extracting(s -> s.method() + (s.ifNoneMatch() ? " if-none-match" : ""))
          .containsExactly("PUT if-none-match", "HEAD", "PUT", "HEAD", "PUT");
    }
  }

  @Test
  void throttlingIsRetriedAndThenReportedNamingBucketKeyAndStatus() throws IOException {
    try (FakeS3 fake = new FakeS3(r -> new FakeS3.Answer(503, "SlowDown", "Please reduce your request rate."));
        S3BlobStore store = S3BlobStore.builder().endpoint(fake.endpoint()).region("us-east-1").pathStyle(true)
            .credentials("ak", "sk").bucket("b").prefix("p").maxAttempts(2).build()) {
      assertThatThrownBy(() -> store.get("config"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("s3://b/p/config")
          .hasMessageContaining("503")
          .hasMessageContaining("SlowDown")
          .hasMessageContaining("after 2 attempts")
          .hasMessageContaining("throttling");
      assertThat(fake.seen).hasSize(2);
    }
  }

  @Test
  void aServerErrorIsAnIoExceptionAfterTheConfiguredAttempts() throws IOException {
    try (FakeS3 fake = new FakeS3(r -> new FakeS3.Answer(500, "InternalError", "We encountered an internal error."));
        S3BlobStore store = S3BlobStore.builder().endpoint(fake.endpoint()).region("us-east-1").pathStyle(true)
            .credentials("ak", "sk").bucket("b").maxAttempts(3).build()) {
      assertThatThrownBy(() -> store.list("index/"))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(NoSuchFileException.class)
          .hasMessageContaining("ListObjectsV2")
          .hasMessageContaining("s3://b/index/")
          .hasMessageContaining("500 InternalError");
      assertThat(fake.seen).hasSize(3);
    }
  }

  @Test
  void wrongCredentialsAreAccessDenied() throws IOException {
    try (S3BlobStore good = s3.store(bucket).build()) {
      good.put("config", bytes(5, 12));
    }
    try (S3BlobStore store = s3.store(bucket).credentials(InProcessS3.ACCESS_KEY, "not-the-secret").build()) {
      assertThatThrownBy(() -> store.get("config")).isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("config").hasMessageContaining("credentials");
      assertThatThrownBy(() -> store.put("keys/1", new byte[1])).isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(() -> store.list("")).isInstanceOf(AccessDeniedException.class);
    }
  }

  @Test
  void aMissingBucketIsNamedInTheError() throws IOException {
    try (S3BlobStore store = s3.store("no-such-bucket").build()) {
      assertThatThrownBy(() -> store.put("config", new byte[1]))
          .isInstanceOf(NoSuchFileException.class).hasMessageContaining("no-such-bucket");
      assertThatThrownBy(() -> store.list(""))
          .isInstanceOf(NoSuchFileException.class).hasMessageContaining("bucket does not exist");
    }
  }

  @Test
  void anUnreachableEndpointIsAnIoExceptionNamingTheKey() throws IOException {
    try (S3BlobStore store = S3BlobStore.builder().endpoint(java.net.URI.create("http://127.0.0.1:1"))
        .region("us-east-1").pathStyle(true).credentials("ak", "sk").bucket("b").maxAttempts(1).build()) {
      assertThatThrownBy(() -> store.stat("config"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("HeadObject")
          .hasMessageContaining("s3://b/config");
    }
  }

  @Test
  void closingTheStoreLeavesTheCallersClientOpen() throws IOException {
    try (S3Client client = s3.client()) {
      S3BlobStore store = S3BlobStore.builder().client(client).bucket(bucket).build();
      store.put("config", bytes(1, 13));
      store.close();

      assertThat(client.headObject(r -> r.bucket(bucket).key("config")).contentLength()).isEqualTo(1);
    }
  }

  @Test
  void theBuilderChecksItsSettings() {
    assertThatThrownBy(() -> S3BlobStore.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bucket");
    try (S3Client client = s3.client()) {
      assertThatThrownBy(() -> S3BlobStore.builder().client(client).bucket("b").region("eu-west-1").build())
          .isInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(() -> S3BlobStore.builder().partSize(PART - 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3BlobStore.builder().uploadConcurrency(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3BlobStore.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutAnEndpointTheSdksStandardEndpointSettingIsUsed() throws IOException {
    // aws.endpointUrlS3 is the system-property twin of AWS_ENDPOINT_URL_S3
    String before = System.getProperty("aws.endpointUrlS3");
    System.setProperty("aws.endpointUrlS3", s3.endpoint().toString());
    try (S3BlobStore store = S3BlobStore.builder().region("us-east-1").pathStyle(true).bucket(bucket)
        .credentials(InProcessS3.ACCESS_KEY, InProcessS3.SECRET_KEY).build()) {
      store.put("config", bytes(4, 15));

      assertThat(s3.admin().headObject(r -> r.bucket(bucket).key("config")).contentLength()).isEqualTo(4);
      assertThat(store).hasToString("S3BlobStore[s3://" + bucket + "]");
    } finally {
      if (before == null) {
        System.clearProperty("aws.endpointUrlS3");
      } else {
        System.setProperty("aws.endpointUrlS3", before);
      }
    }
  }

  @Test
  void anAmazonUrlLeavesTheEndpointToTheSdk() {
    try (S3BlobStore store = S3BlobStore.builder().url("s3:s3.eu-west-1.amazonaws.com/some-bucket/restic")
        .credentials("ak", "sk").build()) {
      assertThat(store).hasToString("S3BlobStore[s3://some-bucket/restic]");
    }
  }

  @Test
  void aUrlSetsEndpointBucketAndPrefix() throws IOException {
    try (S3BlobStore store = S3BlobStore.builder().url("s3:" + s3.endpoint() + "/" + bucket + "/restic/main")
        .region("us-east-1").credentials(InProcessS3.ACCESS_KEY, InProcessS3.SECRET_KEY).maxConnections(7).build()) {
      store.put("config", bytes(3, 14));

      assertThat(s3.admin().headObject(r -> r.bucket(bucket).key("restic/main/config")).contentLength()).isEqualTo(3);
      assertThat(store.capabilities().connections()).isEqualTo(7);
      assertThat(store.capabilities().durable()).isTrue();
      assertThat(store).hasToString("S3BlobStore[" + s3.endpoint() + " s3://" + bucket + "/restic/main]");
    }
  }
}
