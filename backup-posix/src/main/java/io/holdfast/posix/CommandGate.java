package io.holdfast.posix;

import io.holdfast.spi.ConsistencyGate;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gate made of two commands: one that holds the application still (stop a service, flush and
 * lock tables), one that resumes it. Either may be absent. Each is an argument vector, or a shell
 * string run with {@code sh -c}; each runs through a {@link CommandRunner} with a time limit, after
 * which it is killed and counts as failed. Their output is logged line by line at info level; the
 * command lines themselves are never logged (they may carry passwords).
 *
 * <p>Never leaves the application held on purpose: when the hold command fails (non-zero exit, or
 * killed at its time limit) the resume command runs anyway, because the hold may have
 * half-succeeded; the acquire then fails with the hold command's error, a failure of that resume
 * suppressed in it. While held, a JVM shutdown hook runs the resume command should the process be
 * interrupted (Ctrl-C, SIGTERM); only a SIGKILL or a crash of the machine can skip it. {@link Hold#release()} runs the resume command once.
 *
 * <p>Immutable and thread-safe; each {@link #acquire} gives an independent hold.
 */
public final class CommandGate implements ConsistencyGate {
  private static final Logger LOG = LoggerFactory.getLogger(CommandGate.class);
  private static final int LAST_LINE_MAX = 200;

  private final String name;
  private final List<String> hold;
  private final List<String> resume;
  private final String holdLabel;
  private final String resumeLabel;
  private final Duration timeout;
  private final OnFailure onFailure;
  private final CommandRunner runner;

  private CommandGate(Builder b) {
    this.name = b.name;
    this.hold = b.hold;
    this.resume = b.resume;
    this.holdLabel = b.holdLabel;
    this.resumeLabel = b.resumeLabel;
    this.timeout = b.timeout;
    this.onFailure = b.onFailure;
    this.runner = b.runner;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Duration acquireTimeout() {
    return timeout;
  }

  @Override
  public OnFailure onFailure() {
    return onFailure;
  }

  @Override
  public Hold acquire(Duration limit) throws Exception {
    AtomicBoolean released = new AtomicBoolean();
    Thread hook = new Thread(() -> {
      if (released.compareAndSet(false, true)) {
        resumeQuietly(resumeLabel + " (at exit)");
      }
    }, "holdfast-gate-resume-at-exit");
    Runtime.getRuntime().addShutdownHook(hook);
    if (hold != null) {
      FailedHold.undoing(() -> run(holdLabel, hold, limit), () -> {
        if (released.compareAndSet(false, true)) {
          removeHook(hook);
          if (resume != null) {
            run(resumeLabel + " (after a failed " + holdLabel + ")", resume, timeout);
          }
        }
      });
    }
    return () -> {
      if (released.compareAndSet(false, true)) {
        removeHook(hook);
        if (resume != null) {
          run(resumeLabel, resume, timeout);
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

  private void resumeQuietly(String label) {
    if (resume == null) {
      return;
    }
    try {
      run(label, resume, timeout);
    } catch (IOException | RuntimeException e) {
      LOG.error("gate {}: {} failed: the application may still be held: {}", name, label, e.getMessage());
    }
  }

  /** Runs one command, logs its output, and fails on a non-zero exit with its last line of output. */
  private void run(String label, List<String> command, Duration limit) throws IOException {
    CommandRunner.Result r;
    try {
      r = runner.run(command, limit);
    } catch (IOException e) {
      // the runner's message names the command line, which may hold a secret: neither its message nor
      // the exception itself goes on (a logged stack trace would print it); only its own cause does
      throw new IOException(label + " command did not finish within " + limit + " or could not start",
          e.getCause());
    }
    String last = null;
    for (String line : r.output().split("\n", -1)) {
      if (!line.isBlank()) {
        LOG.info("gate {}: {}: {}", name, label, line);
        last = line.length() > LAST_LINE_MAX ? line.substring(0, LAST_LINE_MAX) + "..." : line;
      }
    }
    if (!r.ok()) {
      throw new IOException(label + " command exited with status " + r.exitCode() + (last == null ? "" : ": " + last));
    }
    LOG.info("gate {}: {} command done", name, label);
  }

  /** Builds a {@link CommandGate}; at least one of the two commands is required. Not thread-safe. */
  public static final class Builder {
    private String name = "command";
    private List<String> hold;
    private List<String> resume;
    private String holdLabel = "hold";
    private String resumeLabel = "resume";
    private Duration timeout = Duration.ofSeconds(30);
    private OnFailure onFailure = OnFailure.FAIL;
    private CommandRunner runner = CommandRunner.system();

    private Builder() {}

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The command that holds the application, as an argument vector (no shell). */
    public Builder hold(List<String> argv) {
      this.hold = argv(argv);
      return this;
    }

    /** The command that holds the application, run with {@code sh -c}. */
    public Builder holdShell(String script) {
      this.hold = List.of("sh", "-c", Objects.requireNonNull(script, "script"));
      return this;
    }

    /** The command that resumes the application, as an argument vector (no shell). */
    public Builder resume(List<String> argv) {
      this.resume = argv(argv);
      return this;
    }

    /** The command that resumes the application, run with {@code sh -c}. */
    public Builder resumeShell(String script) {
      this.resume = List.of("sh", "-c", Objects.requireNonNull(script, "script"));
      return this;
    }

    /** What logs and errors call the two commands; {@code hold} and {@code resume} unless set. */
    public Builder labels(String hold, String resume) {
      this.holdLabel = Objects.requireNonNull(hold, "hold");
      this.resumeLabel = Objects.requireNonNull(resume, "resume");
      return this;
    }

    /** How long each command may run; also the gate's acquire timeout. 30 seconds unless set. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    public Builder onFailure(OnFailure policy) {
      this.onFailure = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public Builder runner(CommandRunner runner) {
      this.runner = Objects.requireNonNull(runner, "runner");
      return this;
    }

    /** @throws IllegalArgumentException if neither command was given */
    public CommandGate build() {
      if (hold == null && resume == null) {
        throw new IllegalArgumentException("a command gate needs a hold or a resume command");
      }
      return new CommandGate(this);
    }

    private static List<String> argv(List<String> argv) {
      List<String> copy = List.copyOf(argv);
      if (copy.isEmpty()) {
        throw new IllegalArgumentException("a command needs at least a program name");
      }
      return copy;
    }
  }
}
