package io.holdfast.cli;

import io.holdfast.spi.ConsistencyGate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gate made of two shell commands ({@code sh -c}): one that holds the application still (stop
 * a service, flush and lock tables), one that resumes it. Either may be absent. Each runs with a
 * time limit, after which it is killed with its children and counts as failed; its output is
 * logged at info level (seen with {@code --verbose}); a non-zero exit fails it.
 *
 * <p>Never leaves the application held on purpose: when the start command fails, the end command
 * runs anyway (the start may have half-succeeded); while held, a JVM shutdown hook runs the end
 * command should the process be interrupted (Ctrl-C, SIGTERM). Only a SIGKILL or a crash of the
 * machine can skip it. Immutable; each {@link #acquire} gives an independent hold.
 */
final class CommandGate implements ConsistencyGate {
  private static final Logger LOG = LoggerFactory.getLogger(CommandGate.class);
  private static final int LAST_LINE_MAX = 200;

  private final String start;
  private final String end;
  private final Duration timeout;

  /**
   * @param start the command that holds the application, or null
   * @param end the command that resumes it, or null
   * @param timeout how long each command may run
   */
  CommandGate(String start, String end, Duration timeout) {
    if (start == null && end == null) {
      throw new IllegalArgumentException("a command gate needs a start or an end command");
    }
    this.start = start;
    this.end = end;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "command";
  }

  @Override
  public Duration acquireTimeout() {
    return timeout;
  }

  @Override
  public Hold acquire(Duration limit) throws Exception {
    AtomicBoolean released = new AtomicBoolean();
    Thread hook = new Thread(() -> {
      if (released.compareAndSet(false, true)) {
        runQuietly("--gate-end (at exit)");
      }
    }, "holdfast-gate-end-at-exit");
    Runtime.getRuntime().addShutdownHook(hook);
    if (start != null) {
      try {
        run("--gate-start", start, limit);
      } catch (Exception e) {
        if (released.compareAndSet(false, true)) {
          removeHook(hook);
          runQuietly("--gate-end (after a failed --gate-start)");
        }
        throw e;
      }
    }
    return () -> {
      if (released.compareAndSet(false, true)) {
        removeHook(hook);
        if (end != null) {
          run("--gate-end", end, timeout);
        }
      }
    };
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting; the hook has run or will find the hold released
    }
  }

  private void runQuietly(String label) {
    if (end == null) {
      return;
    }
    try {
      run(label, end, timeout);
    } catch (Exception e) {
      LOG.error("{} failed: the application may still be held: {}", label, e.getMessage());
    }
  }

  /**
   * Runs {@code sh -c command} with no input, logging its output line by line.
   *
   * @throws IOException if it cannot start, exits non-zero (with its last line of output) or
   *     outlasts {@code limit} (it is then killed)
   */
  static void run(String label, String command, Duration limit) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    AtomicReference<String> last = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          LOG.info("{}: {}", label, line);
          if (!line.isBlank()) {
            last.set(line.length() > LAST_LINE_MAX ? line.substring(0, LAST_LINE_MAX) + "..." : line);
          }
        }
      } catch (IOException e) {
        LOG.debug("{}: output ended: {}", label, e.toString());
      }
    }, "holdfast-gate-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!p.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS)) {
        kill(p);
        throw new IOException(label + " command did not finish within " + limit + " and was killed");
      }
    } catch (InterruptedException e) {
      kill(p);
      InterruptedIOException ie = new InterruptedIOException(label + " command interrupted and killed");
      ie.initCause(e);
      Thread.currentThread().interrupt();
      throw ie;
    }
    reader.join(TimeUnit.SECONDS.toMillis(1));
    int code = p.exitValue();
    if (code != 0) {
      String said = last.get();
      throw new IOException(label + " command exited with status " + code + (said == null ? "" : ": " + said));
    }
    LOG.info("{} command done", label);
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
