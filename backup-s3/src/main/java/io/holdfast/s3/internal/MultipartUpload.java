package io.holdfast.s3.internal;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One multipart upload of one object, the part both writers of large objects share: the
 * repository's store ({@code S3BlobStore}, parts in parallel from memory) and the bucket restore
 * (parts in sequence from a stream). {@link #start}, {@link #upload} each part, {@link #complete};
 * on any failure before the completion returned, {@link #abortAfter} so that no parts are left.
 *
 * <p>The SDK's exceptions pass through unchanged, for the caller to translate as it does for its
 * other calls (through {@link S3Errors}); only the abort catches its own failure, which it attaches
 * to the error that made it abort. Thread-safe: parts may be uploaded from several threads.
 */
public final class MultipartUpload {
  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final String id;

  private MultipartUpload(S3Client s3, String bucket, String key, String id) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.id = id;
  }

  /**
   * Creates the upload of object {@code key}; {@code settings} adds what the object carries
   * (content type, metadata, a checksum algorithm) to the request, whose bucket and key are set.
   */
  public static MultipartUpload start(S3Client s3, String bucket, String key,
      Consumer<CreateMultipartUploadRequest.Builder> settings) {
    String id = s3.createMultipartUpload(r -> {
      settings.accept(r);
      r.bucket(bucket).key(key);
    }).uploadId();
    return new MultipartUpload(s3, bucket, key, id);
  }

  /**
   * Uploads part {@code number} (from 1); with {@code crc32} the part carries a CRC32 checksum that
   * S3 checks, and the completed part records it.
   */
  public CompletedPart upload(int number, RequestBody body, boolean crc32) {
    UploadPartResponse response = s3.uploadPart(r -> {
      r.bucket(bucket).key(key).uploadId(id).partNumber(number);
      body.optionalContentLength().ifPresent(r::contentLength);
      if (crc32) {
        r.checksumAlgorithm(ChecksumAlgorithm.CRC32);
      }
    }, body);
    return CompletedPart.builder().partNumber(number).eTag(response.eTag())
        .checksumCRC32(crc32 ? response.checksumCRC32() : null).build();
  }

  /**
   * Completes the upload from {@code parts}, in part-number order; with {@code ifNoneMatch} only if
   * no object {@code key} exists yet (a server without conditional writes answers 501).
   */
  public void complete(List<CompletedPart> parts, boolean ifNoneMatch) {
    s3.completeMultipartUpload(r -> {
      r.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts));
      if (ifNoneMatch) {
        r.ifNoneMatch("*");
      }
    });
  }

  /**
   * After {@code failure}: aborts the upload, which deletes its parts. An abort that fails is added
   * to {@code failure} as suppressed, naming the upload and what removes its parts then; returns
   * whether the abort succeeded. Runs even on an interrupted thread (the SDK refuses calls there):
   * the flag is cleared while it aborts and set again after.
   */
  public boolean abortAfter(Throwable failure) {
    boolean interrupted = Thread.interrupted();
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id));
      return true;
    } catch (RuntimeException e) {
      IOException why = e instanceof SdkException sdk ? new S3Errors(bucket, "").translate("AbortMultipartUpload", key, sdk)
          : new IOException("AbortMultipartUpload of " + key + " failed: " + e, e);
      failure.addSuppressed(new IOException("could not abort multipart upload " + id + " of " + key + " in bucket "
          + bucket + " (" + why.getMessage() + "); its parts stay until a bucket lifecycle rule"
          + " (AbortIncompleteMultipartUpload) removes them", why));
      return false;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
