package io.holdfast.s3;

import io.holdfast.Repository;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.posix.LocalBlobStore;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Object;

/** S3Proxy (in memory, with versioning) and clients for it; a repository on a local directory. */
final class S3Fixture {
  static final String ACCESS = "holdfast-test";
  static final String SECRET = "holdfast-test-secret";
  static final String PASSWORD = "bucket-pass";

  private S3Fixture() {}

  static S3ProxyExtension proxy() {
    return S3ProxyExtension.builder().withBlobStoreProvider("transient-nio2").withCredentials(ACCESS, SECRET).build();
  }

  static S3Client client(URI endpoint, ExecutionInterceptor... interceptors) {
    return InProcessS3.client(endpoint, ACCESS, SECRET, interceptors);
  }

  /** An interceptor that fails each request {@code fails} picks before it is sent ("injected failure"). */
  static ExecutionInterceptor failing(java.util.function.Predicate<software.amazon.awssdk.core.SdkRequest> fails) {
    return new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (fails.test(context.request())) {
          throw new IllegalStateException("injected failure");
        }
      }
    };
  }

  static void bucket(S3Client s3, String name, boolean versioned) {
    s3.createBucket(b -> b.bucket(name));
    if (versioned) {
      s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
  }

  static void put(S3Client s3, String bucket, String key, String content) {
    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
  }

  /** Every object under {@code prefix}: relative key to content. */
  static Map<String, String> contents(S3Client s3, String bucket, String prefix) {
    Map<String, String> out = new TreeMap<>();
    for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
      for (S3Object o : page.contents()) {
        out.put(o.key().substring(prefix.length()),
            new String(s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  static Path initRepo(Path dir) throws IOException {
    io.holdfast.internal.repo.Repository.init(new LocalBlobStore(dir), PASSWORD.toCharArray(),
        new ScryptParams(1024, 8, 1), RepositoryOptions.defaults(), Clock.systemUTC()).close();
    return dir;
  }

  static Repository repo(Path dir) throws IOException {
    return Repository.on(new LocalBlobStore(dir), PASSWORD::toCharArray);
  }

  static S3BucketRestore.Builder restore(Path repoDir, String dataset, S3Client s3, String bucket) throws IOException {
    return S3BucketRestore.builder(new LocalBlobStore(repoDir), PASSWORD::toCharArray, dataset, s3, bucket);
  }

  /** An ordered log of gate and S3 events, shared by a gate and a client's interceptor. */
  static final class Events implements ExecutionInterceptor {
    record Event(long seq, String what) {}

    private final AtomicLong seq = new AtomicLong();
    final List<Event> all = new CopyOnWriteArrayList<>();

    void add(String what) {
      all.add(new Event(seq.incrementAndGet(), what));
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
      add(attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    long first(String what) {
      return all.stream().filter(e -> e.what().equals(what)).mapToLong(Event::seq).min().orElseThrow();
    }

    List<Long> seqs(String what) {
      return all.stream().filter(e -> e.what().equals(what)).map(Event::seq).toList();
    }
  }
}
