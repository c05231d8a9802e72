package io.holdfast.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code holdfast} command line: {@code init}, {@code backup}, {@code snapshots}, {@code ls},
 * {@code restore}, {@code check} and {@code forget} on a repository in a local directory, with restic's options,
 * {@code restore}, {@code check}, {@code export} and {@code import} on a repository in a local directory, with restic's options,
 * environment variables and exit codes ({@link #run} documents them).
 *
 * <p>An instance reads its environment from the map it is given and writes to the streams it is
 * given, never to {@link System#out} directly, so it can run in-process (tests, an embedding
 * application). Each {@link #run} is independent; runs must not overlap on one instance.
 */
public final class Main {
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final Terminal terminal;
  private final java.io.InputStream in;

  /**
   * A command line that reads {@code env} instead of the process environment, prints results on
   * {@code out} and errors on {@code err}, and has no terminal (it never prompts).
   */
  public Main(Map<String, String> env, PrintStream out, PrintStream err) {
    this(env, out, err, Terminal.none());
  }

  Main(Map<String, String> env, PrintStream out, PrintStream err, Terminal terminal) {
    this(env, System.in, out, err, terminal);
  }

  /** As {@link #Main(Map, PrintStream, PrintStream)}, reading {@code import -} from {@code in}. */
  Main(Map<String, String> env, java.io.InputStream in, PrintStream out, PrintStream err, Terminal terminal) {
    this.in = Objects.requireNonNull(in, "in");
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.terminal = Objects.requireNonNull(terminal, "terminal");
  }

  public static void main(String[] args) {
    System.exit(new Main(System.getenv(), System.out, System.err, Terminal.system()).run(args));
  }

  /**
   * Runs one command and returns its exit status, as restic's: 0 ok, 1 failure (also for a usage
   * error), 3 backup saved but some files could not be read, 10 no repository, 11 the repository
   * is locked, 12 wrong password. Errors are one line on {@code err}, prefixed {@code holdfast:};
   * never throws.
   */
  public int run(String... args) {
    try (HoldfastCommand root = new HoldfastCommand(env, out, err, terminal)) {
      CommandLine cl = new CommandLine(root);
      cl.addSubcommand(new InitCommand(root));
      cl.addSubcommand(new BackupCommand(root));
      cl.addSubcommand(new SnapshotsCommand(root));
      cl.addSubcommand(new LsCommand(root));
      cl.addSubcommand(new RestoreCommand(root));
      cl.addSubcommand(new RestoreVolumesCommand(root));
      cl.addSubcommand(new CheckCommand(root));
      cl.addSubcommand(new ForgetCommand(root));
      cl.addSubcommand(new PruneCommand(root));
      cl.addSubcommand(new ExportCommand(root));
      cl.addSubcommand(new ImportCommand(root));
      root.in = in;
      cl.setCaseInsensitiveEnumValuesAllowed(true);
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      cl.setExecutionStrategy(parsed -> {
        root.configureLogging();
        return new CommandLine.RunLast().execute(parsed);
      });
      cl.setParameterExceptionHandler(this::usageError);
      cl.setExecutionExceptionHandler((e, command, parsed) -> root.fail(e));
      return cl.execute(args);
    }
  }

  private int usageError(ParameterException e, String[] args) {
    CommandLine c = e.getCommandLine();
    err.println("holdfast: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, new PrintWriter(err, true));
    err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCode.FAILURE.code;
  }
}
