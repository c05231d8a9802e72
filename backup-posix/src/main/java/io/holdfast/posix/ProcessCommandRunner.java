package io.holdfast.posix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link CommandRunner} over {@link ProcessBuilder}; output goes to a temp file, then the log. */
final class ProcessCommandRunner implements CommandRunner {
  static final ProcessCommandRunner INSTANCE = new ProcessCommandRunner();
  private static final Logger LOG = LoggerFactory.getLogger(ProcessCommandRunner.class);

  private ProcessCommandRunner() {}

  @Override
  public Result run(List<String> command, Duration timeout) throws IOException {
    Path out = Files.createTempFile("holdfast-cmd", ".out");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      boolean done;
      try {
        done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        killTree(p);
        Thread.currentThread().interrupt();
        throw new IOException(String.join(" ", command) + " interrupted", e);
      }
      if (!done) {
        killTree(p);
        throw new IOException(String.join(" ", command) + " did not finish within " + timeout + "; killed");
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      // the program only: arguments may carry a secret (a CommandGate's sh -c script, say)
      LOG.debug("{} exited {}: {}", command.get(0), p.exitValue(), output.strip());
      return new Result(p.exitValue(), output);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * Kills {@code p} and everything it started. The parent goes first, so a shell cannot run the
   * next line of its script once its current child is killed; its children, listed before, after.
   */
  private static void killTree(Process p) {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
