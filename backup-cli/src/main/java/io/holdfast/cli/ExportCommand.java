package io.holdfast.cli;

import io.holdfast.ArchiveFormat;
import io.holdfast.Archives;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code holdfast export}: a snapshot, or a path in it, as a tar, tar.gz, tar.zst or zip archive,
 * to a file (written beside it, then renamed into place, so a failed export leaves no partial file)
 * or to stdout.
 */
@Command(name = "export",
    description = {"Write a snapshot, or a path in it, as an archive.",
        "The format is --format, else the output file's extension, else tar."},
    footer = {"", "Examples:",
        "  holdfast export latest -o backup.tar.zst",
        "  holdfast export 1a2b3c4d --path config -o - | ssh other holdfast import --plan app -"})
final class ExportCommand implements Callable<Integer> {
  private final HoldfastCommand root;

  @Spec CommandSpec spec;

  @Mixin SnapshotChoice choice;

  @Option(names = "--path", paramLabel = "SUBTREE", defaultValue = "",
      description = "Only this path of the snapshot, e.g. config or config/app.conf (default: all).")
  String path;

  @Option(names = "--format", paramLabel = "FORMAT", description = "tar, tar.gz, tar.zst or zip.")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "-",
      description = "Where to write the archive; - for stdout (the default).")
  String output;

  ExportCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** The one object {@code export --json} prints (on stderr when the archive goes to stdout). */
  record Summary(String messageType, String snapshotId, String format, String output, long files, long dirs,
      long others, long bytes, java.util.List<String> skipped) {}

  @Override
  public Integer call() throws IOException {
    boolean toStdout = output.equals("-");
    ArchiveFormat f;
    try {
      f = format != null ? ArchiveFormat.parse(format)
          : toStdout ? ArchiveFormat.TAR : ArchiveFormat.ofFileName(output).orElse(ArchiveFormat.TAR);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    choice.check(spec);
    if (toStdout && root.terminal.interactive()) {
      throw new ParameterException(spec.commandLine(),
          "refusing to write an archive to a terminal: give -o FILE or redirect stdout");
    }
    Archives.Export export = Archives.export(root.repository()).snapshot(choice.snapshot).path(path).format(f);
    if (choice.at != null) {
      export.asOf(choice.at);
    }
    if (choice.plan != null) {
      export.plan(choice.plan);
    }
    Archives.ExportReport report = toStdout ? toStdout(export) : toFile(export, Path.of(output));
    report.skipped().forEach(s -> root.warn("skipped " + s));
    Summary summary = new Summary("summary", report.snapshotId(), f.extension(), output, report.files(),
        report.dirs(), report.others(), report.bytes(), report.skipped());
    if (root.json) {
      if (toStdout) {
        root.err.println(root.mapper().writeValueAsString(summary));
      } else {
        root.printJson(summary);
      }
    } else if (!root.quiet) {
      (toStdout ? root.err : root.out).println("exported snapshot " + report.snapshotId().substring(0, 8)
          + (path.isEmpty() ? "" : " path " + path) + " as " + f.extension() + (toStdout ? "" : " to " + output)
          + ": " + report.files() + " files, " + HumanUnits.bytes(report.bytes()));
    }
    return ExitCode.OK.code;
  }

  private Archives.ExportReport toStdout(Archives.Export export) {
    // no buffer of our own: the archive writer already hands its stream whole 64 KiB buffers
    Archives.ExportReport r = export.writeTo(root.out);
    root.out.flush();
    return r;
  }

  /** Written beside the target, then renamed over it: a failed export leaves nothing behind. */
  private static Archives.ExportReport toFile(Archives.Export export, Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path partial = abs.resolveSibling("." + abs.getFileName() + ".holdfast-partial-" + UUID.randomUUID().toString()
        .substring(0, 8));
    try {
      Archives.ExportReport r;
      try (OutputStream out = Files.newOutputStream(partial)) {
        r = export.writeTo(out);
      }
      Files.move(partial, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return r;
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
