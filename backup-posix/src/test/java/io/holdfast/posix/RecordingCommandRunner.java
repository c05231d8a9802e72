package io.holdfast.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link CommandRunner} for tests: records every command and answers from rules (first match
 * wins: a command whose words start with the rule's prefix); commands no rule matches succeed with
 * no output. An answer that throws an UncheckedIOException makes {@code run} throw its cause, as a
 * command that cannot start or times out does.
 */
final class RecordingCommandRunner implements CommandRunner {
  private record Rule(List<String> prefix, Function<List<String>, Result> answer) {}

  private final List<List<String>> calls = new ArrayList<>();
  private final List<Rule> rules = new ArrayList<>();

  /** Answers commands starting with {@code prefix} with {@code exit} and {@code output}. */
  synchronized RecordingCommandRunner answer(List<String> prefix, int exit, String output) {
    rules.add(new Rule(List.copyOf(prefix), c -> new Result(exit, output)));
    return this;
  }

  /** Answers commands starting with {@code prefix} by {@code answer}. */
  synchronized RecordingCommandRunner answer(List<String> prefix, Function<List<String>, Result> answer) {
    rules.add(new Rule(List.copyOf(prefix), answer));
    return this;
  }

  /** An answer as the real runner gives when its wait is interrupted: the thread is left interrupted. */
  static Function<List<String>, Result> interrupted(String message) {
    return c -> {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException(message));
    };
  }

  /**
   * An answer that succeeds and adds to {@code runs} "ran", or "interrupted" when the thread was
   * interrupted (the real runner would kill the command at once).
   */
  static Function<List<String>, Result> noticingInterrupts(List<String> runs) {
    return c -> {
      runs.add(Thread.currentThread().isInterrupted() ? "interrupted" : "ran");
      return new Result(0, "");
    };
  }

  @Override
  public synchronized Result run(List<String> command, Duration timeout) throws IOException {
    calls.add(List.copyOf(command));
    for (Rule r : rules) {
      if (command.size() >= r.prefix.size() && command.subList(0, r.prefix.size()).equals(r.prefix)) {
        try {
          return r.answer.apply(command);
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      }
    }
    return new Result(0, "");
  }

  /** Every command run so far, in order. */
  synchronized List<List<String>> calls() {
    return List.copyOf(calls);
  }

  /** The commands joined with spaces, for readable assertions. */
  synchronized List<String> lines() {
    return calls.stream().map(c -> String.join(" ", c)).toList();
  }
}
