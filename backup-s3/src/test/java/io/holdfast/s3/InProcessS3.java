package io.holdfast.s3;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3Proxy server in this JVM on 127.0.0.1 (random port, in-memory backend), for tests: start
 * it in {@code @BeforeAll}, {@link #close()} it in {@code @AfterAll}.
 */
final class InProcessS3 implements AutoCloseable {
  static final String ACCESS_KEY = "test-access-key";
  static final String SECRET_KEY = "test-secret-key-never-printed";

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final S3Proxy proxy;
  private final URI endpoint;
  private final S3Client admin;

  private InProcessS3(S3Proxy proxy) {
    this.proxy = proxy;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    this.admin = client();
  }

  static InProcessS3 start() throws Exception {
    return new InProcessS3(startProxy(new TransientNio2BlobStore(), ACCESS_KEY, SECRET_KEY));
  }

  /** An S3Proxy on 127.0.0.1 on a free port, serving {@code backend}, started and listening. */
  static S3Proxy startProxy(org.gaul.s3proxy.blobstore.BlobStore backend, String accessKey, String secretKey)
      throws Exception {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(backend)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.sleep(5);
    }
    return proxy;
  }

  URI endpoint() {
    return endpoint;
  }

  /** A new, empty bucket. */
  String newBucket() {
    String name = "bucket-" + BUCKETS.incrementAndGet();
    admin.createBucket(b -> b.bucket(name));
    return name;
  }

  /** A client of this server, with the test credentials; the caller closes it. */
  S3Client client(ExecutionInterceptor... interceptors) {
    return client(endpoint, ACCESS_KEY, SECRET_KEY, interceptors);
  }

  /**
   * A path-style client of the S3 server at {@code endpoint} with these credentials, checksums
   * only where S3 requires them (as S3Proxy wants); the caller closes it.
   */
  static S3Client client(URI endpoint, String accessKey, String secretKey, ExecutionInterceptor... interceptors) {
    return S3Client.builder()
        .overrideConfiguration(o -> {
          for (ExecutionInterceptor i : interceptors) {
            o.addExecutionInterceptor(i);
          }
        })
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .httpClientBuilder(ApacheHttpClient.builder())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build();
  }

  /** A store builder pointed at {@code bucket} on this server, with the test credentials. */
  S3BlobStore.Builder store(String bucket) {
    return S3BlobStore.builder().endpoint(endpoint).region("us-east-1").pathStyle(true).bucket(bucket)
        .credentials(ACCESS_KEY, SECRET_KEY);
  }

  S3Client admin() {
    return admin;
  }

  @Override
  public void close() throws Exception {
    admin.close();
    proxy.stop();
  }
}
