package io.holdfast.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real {@code restic} binary against a repository directory, for interop tests. Tests that
 * need it call {@link #require()}: where restic is absent they are skipped, loudly, with the reason.
 */
public final class ResticCli {
  private final String repo;
  private final String password;
  private final Map<String, String> environment;

  /** The output of one run. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result orThrow() {
      if (exitCode != 0) {
        throw new AssertionError("restic exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      return this;
    }
  }

  public ResticCli(Path repo, String password) {
    this(repo.toString(), password, Map.of());
  }

  /**
   * For a repository restic names by a string, such as {@code s3:http://127.0.0.1:9000/bucket},
   * with extra environment variables for restic (such as {@code AWS_ACCESS_KEY_ID}); the values
   * are passed to the process only, never printed.
   */
  public ResticCli(String repository, String password, Map<String, String> environment) {
    this.repo = repository;
    this.password = password;
    this.environment = Map.copyOf(environment);
  }

  /** Skips the calling test, with a warning on stderr, when no restic binary is on the PATH. */
  public static void require() {
    boolean present = binary() != null;
    if (!present) {
      System.err.println("WARNING: restic is not installed: skipping a restic interop test "
          + "(install it with: apt-get install -y restic)");
    }
    Assumptions.assumeTrue(present, "restic binary not found on PATH (apt-get install -y restic)");
  }

  private static Path binary() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(":")) {
      Path p = Path.of(dir, "restic");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Runs {@code restic -r REPO args...} and waits (at most 10 minutes). */
  public Result run(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("restic");
    cmd.add("-r");
    cmd.add(repo);
    cmd.add("--no-cache");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("RESTIC_PASSWORD", password);
    pb.environment().remove("RESTIC_REPOSITORY");
    pb.environment().putAll(environment);
    try {
      Path out = Files.createTempFile("restic-out", ".txt");
      Path err = Files.createTempFile("restic-err", ".txt");
      try {
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        boolean done;
        try {
          done = p.waitFor(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          p.destroyForcibly(); // an interrupted test must not leave restic running on its repository
          throw e;
        }
        if (!done) {
          p.destroyForcibly();
          throw new AssertionError("restic " + String.join(" ", args) + " timed out");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run restic: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Runs and fails the test on a non-zero exit. */
  public Result ok(String... args) {
    return run(args).orThrow();
  }
}
