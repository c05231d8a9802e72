package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.posix.LocalBlobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs {@link Main} in-process with its own environment and captured output, against a repository
 * created with a fast key derivation (every test but init's own uses one).
 */
final class Cli {
  static final String PASSWORD = "cli-test-password";
  static final ScryptParams FAST = new ScryptParams(1024, 8, 1);

  final Map<String, String> env = new HashMap<>();
  Terminal terminal = Terminal.none();

  /** What one run did. */
  record Result(int exit, String out, String err) {
    Result ok() {
      assertThat(exit).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isZero();
      return this;
    }
  }

  /** A CLI whose environment names {@code repo} and the test password. */
  static Cli on(Path repo) {
    Cli cli = new Cli();
    cli.env.put(HoldfastCommand.REPOSITORY_ENV, repo.toString());
    cli.env.put(PasswordSource.HOLDFAST_PASSWORD, PASSWORD);
    return cli;
  }

  /** Creates a repository at {@code dir} with the test password; returns a CLI on it. */
  static Cli withNewRepository(Path dir) {
    init(dir).close();
    return on(dir);
  }

  static Repository init(Path dir) {
    return Repository.init(store(dir), PASSWORD.toCharArray(), FAST, RepositoryOptions.defaults(), Clock.systemUTC());
  }

  static Repository open(Path dir) {
    return Repository.open(store(dir), PASSWORD.toCharArray(), RepositoryOptions.defaults(), Clock.systemUTC());
  }

  static LocalBlobStore store(Path dir) {
    try {
      return new LocalBlobStore(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A terminal a person is watching, who answers each password prompt with {@code answer}. */
  static Terminal interactive(Function<String, char[]> answer) {
    return new Terminal() {
      @Override
      public boolean interactive() {
        return true;
      }

      @Override
      public char[] readPassword(String prompt) {
        return answer.apply(prompt);
      }
    };
  }

  /** What one run did, stdout as the bytes written (an archive, say). */
  record RawResult(int exit, byte[] out, String err) {}

  /** Runs with {@code stdin} as standard input; stdout is kept as bytes. */
  RawResult runRaw(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = new Main(env, new java.io.ByteArrayInputStream(stdin), o, e, terminal).run(args);
    }
    return new RawResult(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = new Main(env, o, e, terminal).run(args);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
