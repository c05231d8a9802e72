package io.holdfast.cli;

import io.holdfast.posix.CommandGate;
import io.holdfast.spi.ConsistencyGate;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options that hold the application with shell commands, shared by backup and restore. */
final class GateOptions {
  @Option(names = "--gate-start", paramLabel = "CMD",
      description = "Shell command that holds the application still (run with sh -c); non-zero exit fails.")
  String start;

  @Option(names = "--gate-end", paramLabel = "CMD",
      description = "Shell command that resumes the application; also run if --gate-start fails or on Ctrl-C.")
  String end;

  @Option(names = "--gate-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long each gate command may run before it is killed (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  /** The gate the options describe, if any. */
  Optional<ConsistencyGate> gate() {
    if (start == null && end == null) {
      return Optional.empty();
    }
    CommandGate.Builder gate = CommandGate.builder().labels("--gate-start", "--gate-end").timeout(timeout);
    if (start != null) {
      gate.holdShell(start);
    }
    if (end != null) {
      gate.resumeShell(end);
    }
    return Optional.of(gate.build());
  }
}
