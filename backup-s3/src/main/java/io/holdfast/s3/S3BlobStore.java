package io.holdfast.s3;

import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.BlobKeys;
import io.holdfast.storage.BlobStore;
import io.holdfast.storage.BlobStoreCapabilities;
import io.holdfast.storage.ByteRange;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import io.holdfast.s3.internal.MultipartUpload;
import io.holdfast.s3.internal.S3Errors;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link BlobStore} in an S3 bucket (Amazon S3 or any S3-compatible server): the object {@code
 * data/ab/abcd...} is the S3 object {@code PREFIX/data/ab/abcd...}. The repository chooses every
 * key; the store only prepends the prefix, so a repository written here is exactly the one restic
 * reads at {@code s3:ENDPOINT/BUCKET/PREFIX} (see {@link S3RepositoryUrl}).
 *
 * <p><b>Writing once.</b> A put is a conditional create ({@code If-None-Match: *}), which Amazon
 * S3 and S3Proxy honour atomically: of several puts of one key exactly one succeeds, the others
 * get {@link FileAlreadyExistsException}. A server that answers the condition with 501 Not
 * Implemented switches the store (once, with a warning) to check-then-put, as does {@link
 * Builder#conditionalWrites(boolean) conditionalWrites(false)} for servers that silently ignore
 * the header: then write-once holds against earlier writes but two writers racing on one key
 * could both succeed (with the same bytes, since the repository names objects by content). A
 * request that succeeded on the server but whose answer was lost and retried by the SDK reports
 * {@link FileAlreadyExistsException} for an object that is in fact complete and correct.
 *
 * <p><b>Large objects.</b> Objects above {@link Builder#multipartThreshold(long)} go up as a
 * multipart upload whose parts (of {@link Builder#partSize(int)}) are sent in parallel by a pool
 * of {@link Builder#uploadConcurrency(int)} threads shared by all puts of this store. Parts are
 * views of the caller's array: nothing is copied, so memory stays at the object the caller already
 * holds. The upload is completed conditionally; if any part or the completion fails, the upload is
 * aborted, so no half-written object is ever visible and no parts are left (if the abort itself
 * fails, a warning names the upload id; a bucket lifecycle rule {@code
 * AbortIncompleteMultipartUpload} cleans such leftovers).
 *
 * <p><b>Reading.</b> Ranged gets use an HTTP {@code Range}; an empty range, and one that cannot be
 * expressed as a byte range, cost a {@code HeadObject} instead. {@link #delete} checks existence
 * first ({@code DeleteObject} of a missing key succeeds on S3) to report {@link
 * NoSuchFileException}; list pages through {@code ListObjectsV2} and skips objects whose names are
 * not keys (such as "directory" markers some tools create).
 *
 * <p><b>Errors.</b> Requests are retried by the SDK's standard retry strategy ({@link
 * Builder#maxAttempts(int)}); what still fails becomes a JDK exception in one place (see {@code
 * S3Errors}): {@link NoSuchFileException}, {@link FileAlreadyExistsException}, {@link
 * java.nio.file.AccessDeniedException}, {@link EOFException}, or {@link IOException} naming the
 * operation, bucket, key and HTTP status. No credential ever appears in a message, a log line or
 * {@link #toString()}.
 *
 * <p>Safe for use by many threads. {@link #close()} stops the upload pool and closes the S3 client
 * if the store built it; a client passed in by the caller stays open (the caller closes it).
 */
public final class S3BlobStore implements BlobStore {

  private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

  private static final String OCTET_STREAM = "application/octet-stream";

  /** The largest array a JVM reliably allocates. */
  private static final long MAX_OBJECT_SIZE = Integer.MAX_VALUE - 8;

  /** S3's smallest part, except for the last one. */
  static final int MIN_PART_SIZE = 5 << 20;

  private final S3Client client;
  private final boolean ownsClient;
  private final String bucket;
  private final String prefix;
  private final String description;
  private final int partSize;
  private final long multipartThreshold;
  private final boolean partChecksums;
  private final BlobStoreCapabilities capabilities;
  private final ExecutorService uploads;
  private final Integer listPageSize;
  private final S3Errors errors;
  private volatile boolean conditionalWrites;

  private S3BlobStore(Builder b, S3Client client, boolean ownsClient) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.bucket = b.bucket;
    this.prefix = b.prefix;
    this.description = "S3BlobStore[" + (b.endpoint == null ? "" : b.endpoint + " ") + "s3://" + bucket
        + (prefix.isEmpty() ? "" : "/" + prefix) + "]";
    this.partSize = b.partSize;
    this.multipartThreshold = b.multipartThreshold < 0 ? b.partSize : b.multipartThreshold;
    this.partChecksums = !b.checksumsOnlyWhenRequired;
    this.conditionalWrites = b.conditionalWrites;
    this.capabilities = new BlobStoreCapabilities(b.maxConnections, true);
    this.errors = new S3Errors(bucket, prefix);
    this.listPageSize = b.listPageSize;
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "holdfast-s3-upload-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.uploads = Executors.newFixedThreadPool(b.uploadConcurrency, factory);
  }

  /** A builder with the defaults: SDK-standard region, credentials and endpoint; no prefix. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- put

  @Override
  public void put(String key, byte[] data) throws IOException {
    Objects.requireNonNull(data, "data");
    put(key, data, 0, data.length);
  }

  @Override
  public void put(String key, byte[] data, int off, int len) throws IOException {
    String objectKey = objectKey(key);
    Objects.requireNonNull(data, "data");
    Objects.checkFromIndexSize(off, len, data.length);
    if (len > multipartThreshold) {
      // Refuse early: a repeated put should not send the whole object first. The conditional
      // completion makes the decisive check.
      if (exists(key, objectKey)) {
        throw alreadyExists(key);
      }
      putMultipart(key, objectKey, data, off, len);
    } else {
      putSingle(key, objectKey, data, off, len);
    }
  }

  private void putSingle(String key, String objectKey, byte[] data, int off, int len) throws IOException {
    RequestBody body = body(data, off, len);
    if (conditionalWrites) {
      try {
        client.putObject(r -> r.bucket(bucket).key(objectKey).contentType(OCTET_STREAM).ifNoneMatch("*"), body);
        return;
      } catch (S3Exception e) {
        if (e.statusCode() != 501) {
          throw errors.translate("PutObject", key, e);
        }
        conditionalWritesUnsupported(e);
      } catch (SdkException e) {
        throw errors.translate("PutObject", key, e);
      }
    }
    if (exists(key, objectKey)) {
      throw alreadyExists(key);
    }
    errors.call("PutObject", key, () ->
        client.putObject(r -> r.bucket(bucket).key(objectKey).contentType(OCTET_STREAM), body));
  }

  private void putMultipart(String key, String objectKey, byte[] data, int off, int len) throws IOException {
    MultipartUpload upload = errors.call("CreateMultipartUpload", key, () ->
        MultipartUpload.start(client, bucket, objectKey, r -> {
          r.contentType(OCTET_STREAM);
          if (partChecksums) {
            r.checksumAlgorithm(ChecksumAlgorithm.CRC32);
          }
        }));
    int parts = (int) ((len + (long) partSize - 1) / partSize);
    List<Future<CompletedPart>> futures = new ArrayList<>(parts);
    try {
      for (int i = 0; i < parts; i++) {
        int number = i + 1;
        int partOff = off + i * partSize;
        int partLen = Math.min(partSize, off + len - partOff);
        futures.add(uploads.submit(() -> errors.call("UploadPart", key, () ->
            upload.upload(number, body(data, partOff, partLen), partChecksums))));
      }
      List<CompletedPart> completed = new ArrayList<>(parts);
      for (Future<CompletedPart> f : futures) {
        completed.add(f.get());
      }
      boolean conditional = conditionalWrites;
      try {
        upload.complete(completed, conditional);
      } catch (S3Exception e) {
        if (!conditional || e.statusCode() != 501) {
          throw e;
        }
        conditionalWritesUnsupported(e);
        // The early existence check above is all a server without conditions allows.
        upload.complete(completed, false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while uploading " + errors.where(key));
      abort(key, upload, futures, interrupted);
      throw interrupted;
    } catch (ExecutionException e) {
      IOException failure = e.getCause() instanceof IOException io ? io
          : new IOException("uploading a part of " + errors.where(key) + " failed: " + e.getCause(), e.getCause());
      abort(key, upload, futures, failure);
      throw failure;
    } catch (SdkException e) {
      IOException failure = errors.translate("CompleteMultipartUpload", key, e);
      abort(key, upload, futures, failure);
      throw failure;
    } catch (RuntimeException | Error e) {
      abort(key, upload, futures, e);
      throw e;
    }
  }

  /**
   * Stops the parts still queued, waits for those in flight (a part that lands after the abort
   * would linger), then aborts the upload. Failures of the abort are added to {@code failure}.
   */
  private void abort(String key, MultipartUpload upload, List<Future<CompletedPart>> futures, Throwable failure) {
    boolean interrupted = Thread.interrupted();
    for (Future<CompletedPart> f : futures) {
      f.cancel(false);
    }
    for (Future<CompletedPart> f : futures) {
      while (true) {
        try {
          f.get();
          break;
        } catch (CancellationException | ExecutionException e) {
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (!upload.abortAfter(failure)) {
      log.warn("could not abort a multipart upload of {}; its parts stay until a lifecycle rule "
          + "(AbortIncompleteMultipartUpload) removes them", errors.where(key));
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void conditionalWritesUnsupported(S3Exception e) {
    if (conditionalWrites) {
      conditionalWrites = false;
      log.warn("{}: the server does not implement conditional writes (If-None-Match), HTTP {}; "
          + "falling back to check-then-put, which is write-once only while one writer writes a key",
          description, e.statusCode());
    }
  }

  private static RequestBody body(byte[] data, int off, int len) {
    // A new stream over the caller's array for every (re)try: no copy of the object.
    return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, off, len), len, OCTET_STREAM);
  }

  private FileAlreadyExistsException alreadyExists(String key) {
    return new FileAlreadyExistsException(key, null, "already exists at " + errors.where(key)
        + ": objects are written once");
  }

  // ---- get, stat, list, delete

  @Override
  public byte[] get(String key) throws IOException {
    String objectKey = objectKey(key);
    return errors.call("GetObject", key, () -> {
      try (ResponseInputStream<GetObjectResponse> in = client.getObject(r -> r.bucket(bucket).key(objectKey))) {
        return readFully(key, in, in.response().contentLength());
      }
    });
  }

  @Override
  public byte[] get(String key, long offset, int length) throws IOException {
    String objectKey = objectKey(key);
    ByteRange range = new ByteRange(offset, length);
    if (length == 0 || offset > Long.MAX_VALUE - length) {
      // HTTP cannot ask for zero bytes, nor for a range ending beyond Long.MAX_VALUE.
      range.requireWithin(key, stat(key).size());
      return new byte[0];
    }
    String header = "bytes=" + offset + "-" + (offset + length - 1);
    byte[] bytes;
    try {
      bytes = errors.call("GetObject", key, () -> {
        try (ResponseInputStream<GetObjectResponse> in =
            client.getObject(r -> r.bucket(bucket).key(objectKey).range(header))) {
          return readFully(key, in, in.response().contentLength());
        }
      });
    } catch (IOException e) {
      if (e.getCause() instanceof S3Exception s3 && s3.statusCode() == 416) {
        range.requireWithin(key, stat(key).size()); // throws EOFException with the size
      }
      throw e;
    }
    if (bytes.length != length) {
      // The server shortens a range that runs past the end of the object.
      range.requireWithin(key, offset + bytes.length);
      throw new IOException("S3 returned " + bytes.length + " bytes of " + errors.where(key)
          + " for a range of " + length);
    }
    return bytes;
  }

  private byte[] readFully(String key, ResponseInputStream<GetObjectResponse> in, Long contentLength)
      throws IOException {
    if (contentLength == null || contentLength < 0 || contentLength > MAX_OBJECT_SIZE) {
      throw new IOException("cannot read " + errors.where(key) + " into memory: content length "
          + contentLength);
    }
    byte[] out = new byte[(int) (long) contentLength];
    int n = in.readNBytes(out, 0, out.length);
    if (n != out.length) {
      throw new EOFException("connection closed after " + n + " of " + out.length + " bytes of "
          + errors.where(key));
    }
    return out;
  }

  @Override
  public BlobInfo stat(String key) throws IOException {
    String objectKey = objectKey(key);
    HeadObjectResponse head =
        errors.call("HeadObject", key, () -> client.headObject(r -> r.bucket(bucket).key(objectKey)));
    return new BlobInfo(key, head.contentLength());
  }

  private boolean exists(String key, String objectKey) throws IOException {
    try {
      errors.call("HeadObject", key, () -> client.headObject(r -> r.bucket(bucket).key(objectKey)));
      return true;
    } catch (NoSuchFileException e) {
      if (e.getFile() != null && e.getFile().startsWith("s3://")) {
        throw e; // the bucket is missing, not the key
      }
      return false;
    }
  }

  @Override
  public List<BlobInfo> list(String listPrefix) throws IOException {
    BlobKeys.requireValidPrefix(listPrefix);
    String root = prefix.isEmpty() ? "" : prefix + "/";
    ListObjectsV2Request request =
        ListObjectsV2Request.builder().bucket(bucket).prefix(root + listPrefix).maxKeys(listPageSize).build();
    return errors.call("ListObjectsV2", listPrefix, () -> {
      List<BlobInfo> out = new ArrayList<>();
      for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
        String key = object.key().substring(root.length());
        if (isKey(key)) {
          out.add(new BlobInfo(key, object.size()));
        } else {
          log.debug("{}: skipping object {}, whose name is not a repository key", description, object.key());
        }
      }
      return out;
    });
  }

  private static boolean isKey(String key) {
    try {
      BlobKeys.requireValidKey(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public void delete(String key) throws IOException {
    String objectKey = objectKey(key);
    if (!exists(key, objectKey)) {
      throw new NoSuchFileException(key, null, "no such object at " + errors.where(key));
    }
    errors.call("DeleteObject", key, () -> client.deleteObject(r -> r.bucket(bucket).key(objectKey)));
  }

  /**
   * Creates the bucket if there is none of that name, as {@code restic init} does; the bucket gets
   * the client's region. Does nothing when the bucket exists (and is this account's).
   *
   * @throws java.nio.file.AccessDeniedException if the credentials may not look at or create it
   */
  public void createBucketIfMissing() throws IOException {
    try {
      errors.call("HeadBucket", "", () -> client.headBucket(r -> r.bucket(bucket)));
      return;
    } catch (NoSuchFileException e) {
      // create it below
    }
    String region = client.serviceClientConfiguration().region().id();
    try {
      errors.call("CreateBucket", "", () -> client.createBucket(r -> {
        r.bucket(bucket);
        if (!region.equals("us-east-1")) {
          r.createBucketConfiguration(c -> c.locationConstraint(region));
        }
      }));
      log.info("{}: created the bucket", description);
    } catch (IOException e) {
      if (!(e.getCause() instanceof S3Exception s3 && "BucketAlreadyOwnedByYou".equals(
          s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode()))) {
        throw e;
      }
    }
  }

  @Override
  public BlobStoreCapabilities capabilities() {
    return capabilities;
  }

  /** The bucket this store writes to. */
  public String bucket() {
    return bucket;
  }

  /** The key prefix of the repository's objects in the bucket, without slashes at either end; may be empty. */
  public String prefix() {
    return prefix;
  }

  @Override
  public void close() {
    uploads.shutdownNow();
    if (ownsClient) {
      client.close();
    }
  }

  /** Endpoint, bucket and prefix; never credentials. */
  @Override
  public String toString() {
    return description;
  }

  private String objectKey(String key) {
    BlobKeys.requireValidKey(key);
    return prefix.isEmpty() ? key : prefix + "/" + key;
  }

  /**
   * Settings of an {@link S3BlobStore}, checked when built. Either give a {@link #client(S3Client)}
   * of your own (the store then uses it as it is and never closes it), or let the store build one
   * from the endpoint, region, credentials and the other settings; what is not set comes from the
   * AWS SDK's standard configuration (environment, system properties, {@code ~/.aws/config}),
   * including {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_S3}. Not thread-safe; {@link
   * #toString()} never shows credentials.
   */
  public static final class Builder {
    private S3Client client;
    private URI endpoint;
    private String region;
    private String regionFromUrl;
    private String bucket;
    private String prefix = "";
    private AwsCredentialsProvider credentials;
    private boolean pathStyle;
    private boolean checksumsOnlyWhenRequired;
    private boolean conditionalWrites = true;
    private int partSize = 16 << 20;
    private long multipartThreshold = -1;
    private int uploadConcurrency = 4;
    private int maxConnections = 16;
    private int maxAttempts = 5;
    private Integer listPageSize;

    private Builder() {}

    /**
     * Endpoint, bucket, prefix and addressing style from a restic repository string such as {@code
     * s3:http://127.0.0.1:9000/bucket/prefix}.
     */
    public Builder url(String url) {
      return url(S3RepositoryUrl.parse(url));
    }

    /**
     * Endpoint, bucket, prefix and addressing style from {@code url}. For Amazon S3's own hosts
     * the SDK resolves the endpoint from the region, which the host names ({@code
     * s3.eu-west-1.amazonaws.com}) or, for {@code s3.amazonaws.com}, comes from {@link
     * #region(String)} or the SDK's region chain, with cross-region access on.
     */
    public Builder url(S3RepositoryUrl url) {
      if (url.isAws()) {
        this.endpoint = null;
        this.regionFromUrl = url.awsRegion().orElse(null);
      } else {
        endpoint(url.endpoint());
      }
      bucket(url.bucket());
      prefix(url.prefix());
      return pathStyle(url.pathStyle());
    }

    /** Use this client as it is; it must not be combined with endpoint, region or credentials. */
    public Builder client(S3Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The server, such as {@code http://127.0.0.1:9000}; default: the SDK's (AWS_ENDPOINT_URL_S3, ...). */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** The region, such as {@code eu-west-1}; default: the SDK's region chain, else {@code us-east-1}. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    public Builder bucket(String bucket) {
      this.bucket = Objects.requireNonNull(bucket, "bucket");
      return this;
    }

    /** The key prefix of the repository in the bucket; slashes at either end are dropped. */
    public Builder prefix(String prefix) {
      this.prefix = S3RepositoryUrl.normalizePrefix(Objects.requireNonNull(prefix, "prefix"));
      return this;
    }

    /** Static credentials; default: the SDK's default provider chain (environment, profile, instance role...). */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
      return this;
    }

    /** Static temporary credentials with their session token. */
    public Builder credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
      this.credentials = StaticCredentialsProvider.create(
          AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken));
      return this;
    }

    /** Address the bucket in the path ({@code host/bucket/key}), as emulators need; default false. */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /**
     * Send request checksums only where S3 requires them ({@code RequestChecksumCalculation.WHEN_REQUIRED}),
     * for emulators and S3-compatible stores that reject the SDK's default CRC checksums; default false.
     */
    public Builder checksumsOnlyWhenRequired(boolean whenRequired) {
      this.checksumsOnlyWhenRequired = whenRequired;
      return this;
    }

    /** Whether puts are conditional creates ({@code If-None-Match: *}); see the class comment. Default true. */
    public Builder conditionalWrites(boolean conditionalWrites) {
      this.conditionalWrites = conditionalWrites;
      return this;
    }

    /** The size of multipart upload parts, at least S3's minimum of 5 MiB; default 16 MiB. */
    public Builder partSize(int bytes) {
      if (bytes < MIN_PART_SIZE) {
        throw new IllegalArgumentException("part size must be at least 5 MiB (S3's minimum), got " + bytes);
      }
      this.partSize = bytes;
      return this;
    }

    /** Objects larger than this go up as multipart uploads; default: the part size. */
    public Builder multipartThreshold(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("multipart threshold must not be negative, got " + bytes);
      }
      this.multipartThreshold = bytes;
      return this;
    }

    /** How many parts are uploaded at once, across all puts of the store; default 4. */
    public Builder uploadConcurrency(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("upload concurrency must be at least 1, got " + threads);
      }
      this.uploadConcurrency = threads;
      return this;
    }

    /** The HTTP connection pool's size, reported as the store's connections; default 16. */
    public Builder maxConnections(int connections) {
      if (connections < 1) {
        throw new IllegalArgumentException("max connections must be at least 1, got " + connections);
      }
      this.maxConnections = connections;
      return this;
    }

    /** How often the SDK tries a request that fails with a retryable error (5xx, throttling, I/O); default 5. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("max attempts must be at least 1, got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** Objects per ListObjectsV2 response (the server's default, 1000, if unset); for tests of paging. */
    Builder listPageSize(int keys) {
      this.listPageSize = keys;
      return this;
    }

    /**
     * The store. A store that builds its own client owns and closes it.
     *
     * @throws IllegalStateException if no bucket is set, or a client is combined with endpoint,
     *     region or credentials
     */
    public S3BlobStore build() {
      if (bucket == null || bucket.isEmpty()) {
        throw new IllegalStateException("an S3 blob store needs a bucket");
      }
      if (client != null) {
        if (endpoint != null || region != null || credentials != null) {
          throw new IllegalStateException("give either an S3 client or endpoint/region/credentials, not both");
        }
        return new S3BlobStore(this, client, false);
      }
      S3ClientBuilder b = S3Client.builder()
          .httpClientBuilder(ApacheHttpClient.builder().maxConnections(maxConnections)
              .connectionAcquisitionTimeout(Duration.ofMinutes(1)))
          .region(Region.of(region != null ? region : regionFromUrl != null ? regionFromUrl : defaultRegion()))
          .credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder().build())
          .forcePathStyle(pathStyle)
          .overrideConfiguration(o -> o.retryStrategy(
              AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build()));
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      } else if (region == null && regionFromUrl == null) {
        b.crossRegionAccessEnabled(true); // the bucket may be elsewhere than the default region
      }
      if (checksumsOnlyWhenRequired) {
        b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
      }
      return new S3BlobStore(this, b.build(), true);
    }

    private static String defaultRegion() {
      try {
        return new DefaultAwsRegionProviderChain().getRegion().id();
      } catch (SdkException e) {
        return "us-east-1";
      }
    }

    /** The settings, without credentials. */
    @Override
    public String toString() {
      return "S3BlobStore.Builder[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket
          + ", prefix=" + prefix + ", credentials=" + (credentials == null ? "default chain" : "static")
          + ", pathStyle=" + pathStyle + ", partSize=" + partSize + "]";
    }
  }
}
