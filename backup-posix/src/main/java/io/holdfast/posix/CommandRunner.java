package io.holdfast.posix;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs external commands ({@code btrfs}, {@code lvcreate}, {@code fsfreeze}, {@code systemctl}).
 * The seam through which tests check the exact commands a provider or gate runs, and make any of
 * them fail. Implementations are thread-safe.
 */
public interface CommandRunner {
  /** A finished command: its exit code and its standard output and error, interleaved. */
  record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** This result if the exit code is 0; otherwise an IOException naming {@code command} and its output. */
    public Result orThrow(List<String> command) throws IOException {
      if (!ok()) {
        throw new IOException(String.join(" ", command) + " exited " + exitCode
            + (output.isBlank() ? "" : ": " + output.strip()));
      }
      return this;
    }
  }

  /**
   * Runs {@code command} (no shell) and waits at most {@code timeout}.
   *
   * @throws IOException if it cannot be started or does not finish in time (it is then killed)
   */
  Result run(List<String> command, Duration timeout) throws IOException;

  /** Runs and returns the result if the exit code is 0; otherwise an IOException naming the command. */
  default Result check(List<String> command, Duration timeout) throws IOException {
    return run(command, timeout).orThrow(command);
  }

  /** Runs commands as processes of this machine. */
  static CommandRunner system() {
    return ProcessCommandRunner.INSTANCE;
  }
}
