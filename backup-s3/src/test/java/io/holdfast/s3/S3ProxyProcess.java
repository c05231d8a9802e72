package io.holdfast.s3;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link S3ProxyMain} started as a separate JVM with this test's class path; {@link #close()}
 * stops it (and it stops by itself when this JVM exits, as its stdin closes).
 */
final class S3ProxyProcess implements AutoCloseable {
  static final String ACCESS_KEY = "process-access-key";
  static final String SECRET_KEY = "process-secret-key-not-printed";

  private final Process process;
  private final URI endpoint;

  private S3ProxyProcess(Process process, int port) {
    this.process = process;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
  }

  /** Starts the server, in memory or (with {@code dir}) on disk, and waits until it listens. */
  static S3ProxyProcess start(Path dir, String... jvmOptions) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath,
        S3ProxyMain.class.getName()));
    if (dir != null) {
      command.addAll(List.of("--dir", dir.toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> env = pb.environment();
    env.put("S3PROXY_ACCESS_KEY", ACCESS_KEY);
    env.put("S3PROXY_SECRET_KEY", SECRET_KEY);
    Process process = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith(S3ProxyMain.READY)) {
            return Integer.parseInt(line.substring(S3ProxyMain.READY.length()).trim());
          }
        }
        throw new IllegalStateException("S3Proxy exited before it was ready (exit " + process.waitFor() + ")");
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("S3Proxy did not start: " + e, e);
      }
    });
    try {
      return new S3ProxyProcess(process, port.get(2, TimeUnit.MINUTES));
    } catch (InterruptedException | java.util.concurrent.ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IOException("S3Proxy did not start within two minutes: " + e, e);
    }
  }

  URI endpoint() {
    return endpoint;
  }

  /** The environment restic needs for this server: the test credentials. */
  static Map<String, String> resticEnvironment() {
    return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
  }

  /** A store builder for {@code s3:ENDPOINT/bucket}, with the test credentials. */
  S3BlobStore.Builder store(String bucket) {
    return S3BlobStore.builder().url("s3:" + endpoint + "/" + bucket).region("us-east-1")
        .credentials(ACCESS_KEY, SECRET_KEY);
  }

  @Override
  public void close() throws InterruptedException {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // it is going away anyway
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
