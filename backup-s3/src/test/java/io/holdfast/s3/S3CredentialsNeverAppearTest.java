package io.holdfast.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failures of every kind (denied, throttled, unreachable, a server without conditional writes)
 * and everything the store prints: no access key id, secret or session token in any message,
 * stack trace (causes and suppressed included), toString or log line.
 */
class S3CredentialsNeverAppearTest {
  static final String ACCESS_KEY = "AKIALEAKCHECK0000001";
  static final String SECRET = "leak-check-secret-9f8e7d6c";
  static final String TOKEN = "leak-check-session-token-42";

  final List<String> printed = new ArrayList<>();
  final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  PrintStream originalErr;

  @BeforeEach
  void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  private void record(ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).as("the call fails").isNotNull();
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    printed.add(t.getMessage());
    printed.add(t.toString());
    printed.add(trace.toString());
  }

  private static S3BlobStore.Builder withSecrets(URI endpoint) {
    return S3BlobStore.builder().endpoint(endpoint).region("us-east-1").pathStyle(true).bucket("b")
        .credentials(ACCESS_KEY, SECRET, TOKEN).maxAttempts(2);
  }

  @Test
  void noCredentialAppearsInMessagesTracesToStringsOrLogs() throws Exception {
    try (InProcessS3 s3 = InProcessS3.start()) {
      String bucket = s3.newBucket();
      S3BlobStore.Builder builder = withSecrets(s3.endpoint()).bucket(bucket);
      printed.add(builder.toString());
      try (S3BlobStore denied = builder.build()) {
        printed.add(denied.toString());
        record(() -> denied.get("config"));
        record(() -> denied.get("config", 1, 2));
        record(() -> denied.put("keys/1", new byte[10]));
        record(() -> denied.put("data/00/big", new byte[S3BlobStore.MIN_PART_SIZE + 1]));
        record(() -> denied.stat("config"));
        record(() -> denied.list("data/"));
        record(() -> denied.delete("config"));
      }
    }
    try (FakeS3 throttling = new FakeS3(r -> new FakeS3.Answer(503, "SlowDown", "reduce your request rate"));
        S3BlobStore store = withSecrets(throttling.endpoint()).build()) {
      record(() -> store.get("config"));
      record(() -> store.put("keys/1", new byte[10]));
    }
    try (FakeS3 noConditions = new FakeS3(r -> r.ifNoneMatch() ? new FakeS3.Answer(501, "NotImplemented", "no")
            : new FakeS3.Answer(500, "InternalError", "broken"));
        S3BlobStore store = withSecrets(noConditions.endpoint()).checksumsOnlyWhenRequired(true).build()) {
      record(() -> store.put("keys/2", new byte[10]));
    }
    try (S3BlobStore unreachable = withSecrets(URI.create("http://127.0.0.1:1")).build()) {
      record(() -> unreachable.list(""));
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).as("the capture sees the store's warnings").contains("falling back to check-then-put");
    printed.add(logs);

    assertThat(printed).hasSizeGreaterThan(30).allSatisfy(text ->
        assertThat(text).doesNotContain(ACCESS_KEY).doesNotContain(SECRET).doesNotContain(TOKEN));
  }

  @Test
  void aUrlWithCredentialsIsRefusedWithoutEchoingThem() {
    Throwable t = catchThrowable(() ->
        S3BlobStore.builder().url("s3:http://" + ACCESS_KEY + ":" + SECRET + "@127.0.0.1:9000/b"));

    assertThat(t).isInstanceOf(IllegalArgumentException.class);
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain(ACCESS_KEY).doesNotContain(SECRET);
  }

  @Test
  void theCapturedLogsAreReallyChecked() throws IOException {
    // Guards the test above: a leak into a log line would be seen.
    org.slf4j.LoggerFactory.getLogger(S3CredentialsNeverAppearTest.class).warn("probe {}", "visible");
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("probe visible");
  }
}
