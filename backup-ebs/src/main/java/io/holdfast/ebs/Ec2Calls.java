package io.holdfast.ebs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * The one place where EC2 errors become JDK ones: a missing resource ({@code *.NotFound}) is a
 * {@link NoSuchFileException}, a refusal ({@code UnauthorizedOperation}, {@code AuthFailure}) an
 * {@link AccessDeniedException}, anything else an {@link IOException} naming the call, the error
 * code and EC2's message. Throttling never reaches here: the client's retry strategy retries it
 * ({@link Ec2Clients}). Messages carry no credentials: EC2's own messages do not, and the request
 * is named by action and resource only.
 */
final class Ec2Calls {
  private Ec2Calls() {}

  /** Runs one EC2 call described by {@code what} (e.g. "CreateSnapshots on i-0abc"). */
  static <T> T call(String what, Supplier<T> call) throws IOException {
    try {
      return call.get();
    } catch (Ec2Exception e) {
      throw map(what, e);
    } catch (SdkClientException e) {
      throw new IOException(what + ": cannot call EC2 (" + e.getMessage() + "); check the credentials, the region,"
          + " the endpoint and the network", e);
    } catch (SdkException e) {
      throw new IOException(what + ": " + e.getMessage(), e);
    }
  }

  /** EC2's error code, or null. */
  static String code(Ec2Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  static IOException map(String what, Ec2Exception e) {
    String code = code(e);
    String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? e.getMessage()
        : e.awsErrorDetails().errorMessage();
    String text = what + ": " + (code == null ? "HTTP " + e.statusCode() : code) + ": " + message;
    IOException out;
    if (code != null && code.endsWith(".NotFound")) {
      out = new NoSuchFileException(text);
    } else if ("UnauthorizedOperation".equals(code) || "AuthFailure".equals(code)) {
      out = new AccessDeniedException(text + " (the credentials in use may not do this)");
    } else {
      out = new IOException(text);
    }
    out.initCause(e);
    return out;
  }
}
