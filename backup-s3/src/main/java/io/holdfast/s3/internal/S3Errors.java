package io.holdfast.s3.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one place where AWS SDK exceptions become JDK {@link IOException}s, so that a repository on
 * S3 fails exactly as one on a local disk does, and a bucket dataset's reads and restores fail the same
 * way (there {@code prefix} is empty and keys are the objects' own):
 *
 * <ul>
 *   <li>404 (NoSuchKey, NotFound) -> {@link NoSuchFileException} naming the key; NoSuchBucket ->
 *       {@link NoSuchFileException} naming the bucket;
 *   <li>412 PreconditionFailed and 409 ConditionalRequestConflict (a conditional create lost) ->
 *       {@link FileAlreadyExistsException} naming the key;
 *   <li>403 -> {@link AccessDeniedException};
 *   <li>everything else (throttling and 5xx once the SDK's retries are spent, network failures) ->
 *       {@link IOException} naming the operation, bucket, key, status, S3 error code and attempts.
 * </ul>
 *
 * <p>Messages are built from the status, the S3 error code and the server's error message, never
 * from the request: no credential, signature or header can reach them. Stateless apart from the
 * bucket and prefix it names; safe for use by any number of threads.
 */
public final class S3Errors {

  private final String bucket;
  private final String prefix;

  public S3Errors(String bucket, String prefix) {
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /** A call to the SDK whose exceptions {@link #call} translates. */
  @FunctionalInterface
  public interface SdkCall<T> {
    T run() throws IOException;
  }

  /** Runs {@code call}, translating any SDK exception for {@code operation} on {@code key}. */
  public <T> T call(String operation, String key, SdkCall<T> call) throws IOException {
    try {
      return call.run();
    } catch (SdkException e) {
      throw translate(operation, key, e);
    }
  }

  /** Where {@code key} lives, for messages: {@code s3://bucket/prefix/key}. */
  public String where(String key) {
    return "s3://" + bucket + "/" + (prefix.isEmpty() || key.isEmpty() ? prefix + key : prefix + "/" + key);
  }

  /** The JDK exception for {@code e}, thrown by {@code operation} on repository key {@code key}. */
  public IOException translate(String operation, String key, SdkException e) {
    IOException out;
    if (e instanceof S3Exception s3) {
      int status = s3.statusCode();
      String code = errorCode(s3);
      String detail = " (" + describe(s3) + ")";
      if (code.equals("NoSuchBucket")) {
        out = new NoSuchFileException("s3://" + bucket, null,
            "the bucket does not exist: create it, or check the bucket name and endpoint" + detail);
      } else if (status == 404) {
        out = new NoSuchFileException(key, null, "no such object at " + where(key) + detail);
      } else if (status == 412 || status == 409 && code.equals("ConditionalRequestConflict")) {
        out = new FileAlreadyExistsException(key, null,
            "already exists at " + where(key) + ": objects are written once" + detail);
      } else if (status == 403) {
        out = new AccessDeniedException(key, null, operation + " denied at " + where(key)
            + ": check the credentials, region and the bucket's policy" + detail);
      } else {
        out = new IOException("S3 " + operation + " of " + where(key) + " failed" + attempts(e)
            + ": " + describe(s3) + (status == 503 || status == 429 || code.equals("SlowDown")
                ? "; the server is throttling requests: lower the upload concurrency or retry later"
                : ""));
      }
    } else if (e instanceof AbortedException) {
      out = new InterruptedIOException("S3 " + operation + " of " + where(key) + " was interrupted");
    } else {
      out = new IOException("S3 " + operation + " of " + where(key) + " failed" + attempts(e)
          + ": " + e.getMessage());
    }
    out.initCause(e);
    return out;
  }

  private static String errorCode(S3Exception e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String code = details == null ? null : details.errorCode();
    return code == null ? "" : code;
  }

  private static String describe(S3Exception e) {
    AwsErrorDetails details = e.awsErrorDetails();
    StringBuilder s = new StringBuilder("HTTP ").append(e.statusCode());
    String code = errorCode(e);
    if (!code.isEmpty()) {
      s.append(' ').append(code);
    }
    if (details != null && details.errorMessage() != null) {
      s.append(": ").append(details.errorMessage());
    }
    if (e.requestId() != null) {
      s.append(", request id ").append(e.requestId());
    }
    return s.toString();
  }

  private static String attempts(SdkException e) {
    Integer n = e.numAttempts();
    return n == null || n <= 1 ? "" : " after " + n + " attempts";
  }
}
