package io.holdfast.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link BucketReader} over an S3 client; SDK errors become {@link IOException}s here. */
public final class S3BucketReader implements BucketReader {
  private final S3Client s3;
  private final String bucket;
  private final S3Errors errors;

  public S3BucketReader(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
    this.errors = new S3Errors(bucket, "");
  }

  @Override
  public InputStream open(String key, String versionId, long from) throws IOException {
    try {
      return s3.getObject(b -> b.bucket(bucket).key(key).versionId(versionId)
          .range(from > 0 ? "bytes=" + from + "-" : null));
    } catch (SdkException e) {
      throw io("read", key, versionId, e);
    }
  }

  @Override
  public ObjectMetadata head(String key, String versionId) throws IOException {
    try {
      return ObjectMetadata.of(s3.headObject(b -> b.bucket(bucket).key(key).versionId(versionId)));
    } catch (SdkException e) {
      throw io("stat", key, versionId, e);
    }
  }

  private IOException io(String what, String key, String versionId, SdkException e) {
    return errors.translate(what + (versionId == null ? "" : " (version " + versionId + ")"), key, e);
  }
}
