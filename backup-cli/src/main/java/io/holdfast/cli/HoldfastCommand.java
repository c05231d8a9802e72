package io.holdfast.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.holdfast.HoldfastException;
import io.holdfast.Repository;
import io.holdfast.RepositoryNotFoundException;
import io.holdfast.internal.repo.FileType;
import io.holdfast.posix.LocalBlobStore;
import io.holdfast.s3.S3BlobStore;
import io.holdfast.s3.S3RepositoryUrl;
import io.holdfast.storage.BlobStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code holdfast} command itself: the options every subcommand shares (restic's: {@code -r},
 * {@code --password-file}, {@code --json}, {@code -q}, {@code -v}, accepted before or after the
 * subcommand's name) and what the subcommands get from them: the repository, its password, and
 * where output goes. One instance serves one run of {@link Main#run}; {@link #close()} clears the
 * password.
 */
@Command(name = "holdfast", mixinStandardHelpOptions = true, versionProvider = HoldfastCommand.Version.class,
    scope = ScopeType.INHERIT,
    description = "Application-consistent, deduplicated backups in restic's repository format.",
    footer = {"",
        "Environment:",
        "  HOLDFAST_REPOSITORY  the repository when -r is not given",
        "  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION",
        "                       for s3: repositories (else the AWS SDK's default chain)",
        "  HOLDFAST_PASSWORD    the repository password (then RESTIC_PASSWORD, then",
        "                       --password-file, then a prompt on the terminal)",
        "",
        "Exit status: 0 ok, 1 failure, 3 backup saved but some files could not be read,",
        "10 no repository, 11 repository locked, 12 wrong password."})
final class HoldfastCommand implements Callable<Integer>, AutoCloseable {
  static final String REPOSITORY_ENV = "HOLDFAST_REPOSITORY";

  @Option(names = {"-r", "--repo"}, paramLabel = "REPO", scope = ScopeType.INHERIT,
      description = "Repository: a directory, or s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX] as restic "
          + "writes it (default: $HOLDFAST_REPOSITORY).")
  String repo;

  @Option(names = "--password-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Read the password from the first line of FILE (after $HOLDFAST_PASSWORD and $RESTIC_PASSWORD).")
  Path passwordFile;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print machine-readable JSON on stdout.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Print nothing but errors and warnings.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Log what happens (info level) and show stack traces of errors.")
  boolean verbose;

  @Spec CommandSpec spec;

  final PrintStream out;
  final PrintStream err;
  final Terminal terminal;
  /** Where {@code import -} reads; set by {@link Main}. */
  java.io.InputStream in = System.in;
  private final Map<String, String> env;
  private final ObjectMapper mapper = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private char[] password;
  /** The S3 store, made by the first {@link #s3Store()}; closed by {@link #close()}. */
  private S3BlobStore s3;
  private boolean closed;

  HoldfastCommand(Map<String, String> env, PrintStream out, PrintStream err, Terminal terminal) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /** Without a subcommand: the usage, and failure. */
  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return ExitCode.FAILURE.code;
  }

  /** The repository as given: {@code -r}, else {@code $HOLDFAST_REPOSITORY}. */
  String repositoryName() {
    if (repo != null) {
      return repo;
    }
    String fromEnv = env.get(REPOSITORY_ENV);
    if (fromEnv == null || fromEnv.isBlank()) {
      throw new HoldfastException("no repository given: use -r REPO or set " + REPOSITORY_ENV);
    }
    return fromEnv;
  }

  /** Whether the repository is on S3 ({@code s3:...}) rather than in a directory. */
  boolean onS3() {
    return S3RepositoryUrl.isS3(repositoryName());
  }

  /** The repository directory, for a repository that is not on S3. */
  Path repositoryPath() {
    return Path.of(repositoryName());
  }

  /**
   * The store of an S3 repository: made on the first call, the same one after, closed (once) with
   * this command. Credentials from {@code
   * AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN}) when set, else
   * the SDK's default chain (profiles, instance roles); region from {@code AWS_REGION}, else
   * {@code AWS_DEFAULT_REGION}, else the one an Amazon host names, else the SDK's chain, else
   * us-east-1.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  S3BlobStore s3Store() {
    if (closed) {
      throw new IllegalStateException("the command has finished: its S3 store is closed");
    }
    if (s3 != null) {
      return s3;
    }
    S3BlobStore.Builder b;
    try {
      b = S3BlobStore.builder().url(repositoryName());
    } catch (IllegalArgumentException e) {
      throw new HoldfastException("bad S3 repository URL: " + e.getMessage(), e);
    }
    String region = firstSet("AWS_REGION", "AWS_DEFAULT_REGION");
    if (region != null) {
      b.region(region);
    }
    String accessKey = env.get("AWS_ACCESS_KEY_ID");
    String secretKey = env.get("AWS_SECRET_ACCESS_KEY");
    if (accessKey != null && secretKey != null) {
      String token = env.get("AWS_SESSION_TOKEN");
      if (token == null) {
        b.credentials(accessKey, secretKey);
      } else {
        b.credentials(accessKey, secretKey, token);
      }
    }
    s3 = b.build();
    return s3;
  }

  private String firstSet(String name, String otherName) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      v = env.get(otherName);
    }
    return v == null || v.isBlank() ? null : v;
  }

  /**
   * The store of an existing repository. Checks first, so that a mistyped path is reported, not
   * created.
   *
   * @throws RepositoryNotFoundException if there is no directory or it holds no {@code config}
   */
  BlobStore existingStore() {
    if (onS3()) {
      S3BlobStore store = s3Store();
      if (!holdsRepository(store)) {
        throw new RepositoryNotFoundException("no repository at " + repositoryName()
            + ": the bucket has no config object there (create one with holdfast init)");
      }
      return store;
    }
    Path path = repositoryPath();
    if (!Files.isDirectory(path)) {
      throw new RepositoryNotFoundException("no repository at " + path + ": "
          + (Files.exists(path) ? "it is not a directory" : "there is no such directory"));
    }
    LocalBlobStore store = store(path);
    if (!holdsRepository(store)) {
      throw new RepositoryNotFoundException("no repository at " + path + ": it has no config file"
          + " (create one with holdfast init)");
    }
    return store;
  }

  /** The store in the repository directory, which is created if missing. */
  static LocalBlobStore store(Path path) {
    try {
      return new LocalBlobStore(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use " + path + " as a repository directory: " + e, e);
    }
  }

  static boolean holdsRepository(BlobStore store) {
    try {
      store.stat(FileType.CONFIG.key(null));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for the repository's config: " + e, e);
    }
  }

  /** The existing repository's password, read once per run. */
  char[] password() {
    if (password == null) {
      password = passwords().existing();
    }
    return password;
  }

  /** A password for a new repository. */
  char[] newPassword() {
    if (password == null) {
      password = passwords().forNewRepository();
    }
    return password;
  }

  private PasswordSource passwords() {
    return new PasswordSource(env, passwordFile, terminal);
  }

  /** The existing repository as the engine takes it, with the password already read. */
  Repository repository() {
    BlobStore store = existingStore();
    char[] pw = password();
    return Repository.on(store, () -> pw); // the engine copies it and clears its copy
  }

  /** The existing repository, open and under a shared lock. */
  LockedRepository openLocked() {
    BlobStore store = existingStore();
    return LockedRepository.open(store, password());
  }

  /** True when a progress bar should be drawn: a terminal, and neither --json nor --quiet. */
  boolean showProgress() {
    return terminal.interactive() && !json && !quiet;
  }

  /** A line of human output on stdout; nothing with --json or --quiet. */
  void say(String line) {
    if (!json && !quiet) {
      out.println(line);
    }
  }

  /** A warning on stderr, whatever the output mode. */
  void warn(String message) {
    err.println("warning: " + message);
  }

  /** Prints one JSON document on a line of stdout. */
  void printJson(Object value) {
    try {
      out.println(mapper.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON output", e);
    }
    out.flush();
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /** Reports an error in one line (with its stack trace under --verbose); returns the exit status. */
  int fail(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    err.println("holdfast: " + message);
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCode.of(e).code;
  }

  /**
   * Raises the log level with --verbose. Must run before the first logger is created: slf4j-simple
   * reads its settings once.
   */
  void configureLogging() {
    if (verbose) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
      System.setProperty("org.slf4j.simpleLogger.log.io.holdfast.BackupRun", "info");
      System.setProperty("org.slf4j.simpleLogger.log.io.holdfast.RestoreRun", "info");
      System.setProperty("org.slf4j.simpleLogger.log.io.holdfast.VerifyRun", "info");
      System.setProperty("org.slf4j.simpleLogger.log.io.holdfast.PruneRun", "info");
    }
  }

  @Override
  public void close() {
    closed = true;
    if (s3 != null) {
      try {
        s3.close();
      } catch (RuntimeException e) {
        err.println("warning: cannot close the repository's store: " + e.getMessage());
      }
      s3 = null;
    }
    if (password != null) {
      Arrays.fill(password, '\0');
      password = null;
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"holdfast " + (v == null ? "(development build)" : v) + ", restic repository format 2"};
    }
  }
}
