package io.holdfast.cli;

import io.holdfast.Archives;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code holdfast import}: a tar or zip archive (gzip or zstd compressed or not: detected) as a new
 * snapshot of a plan. A refused archive (absolute or {@code ..} names, duplicates, links out,
 * devices, sizes over the limits, damage) fails with the entry named and no snapshot written.
 */
@Command(name = "import",
    description = {"Import a tar or zip archive (FILE, or - for stdin) as a new snapshot of a plan.",
        "Its top-level directories become the snapshot's datasets; --dataset puts it all in one."},
    footer = {"", "Examples:",
        "  holdfast import --plan app backup.tar.zst",
        "  curl -s https://host/data.tar.gz | gunzip | holdfast import --plan app --dataset data -"})
final class ImportCommand implements Callable<Integer> {
  private final HoldfastCommand root;

  @Option(names = "--plan", paramLabel = "NAME", required = true, description = "The plan the snapshot belongs to.")
  String plan;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "-",
      description = "The archive; - for stdin (the default).")
  String file;

  @Option(names = "--dataset", paramLabel = "NAME",
      description = "Put the whole archive into this one dataset (for archives of loose files, e.g. tar -C dir .).")
  String dataset;

  @Option(names = "--tag", paramLabel = "TAG", description = "An extra snapshot tag (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--app-version", paramLabel = "VERSION",
      description = "The application version to record (default: the archive's own manifest's).")
  String appVersion;

  @Option(names = "--allow-devices", description = "Accept block and character device entries.")
  boolean allowDevices;

  @Option(names = "--allow-links-outside",
      description = "Accept symlinks that are absolute or lead out of the archive.")
  boolean allowLinksOutside;

  @Option(names = "--max-entry-size", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "Refuse an entry larger than SIZE (default 1T).")
  Long maxEntrySize;

  @Option(names = "--max-total-size", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "Refuse an archive holding more than SIZE in all (default 16T).")
  Long maxTotalSize;

  @Option(names = "--max-entries", paramLabel = "N", description = "Refuse an archive of more than N entries"
      + " (default 2000000).")
  Long maxEntries;

  ImportCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** The one object {@code import --json} prints. */
  record Summary(String messageType, String snapshotId, String plan, String format, List<String> datasets,
      long files, long dirs, long others, long bytes, long bytesAdded, List<String> warnings) {}

  @Override
  public Integer call() {
    Archives.Limits limits = Archives.Limits.defaults();
    if (maxEntrySize != null) {
      limits = limits.withMaxEntryBytes(maxEntrySize);
    }
    if (maxTotalSize != null) {
      limits = limits.withMaxTotalBytes(maxTotalSize);
    }
    if (maxEntries != null) {
      limits = limits.withMaxEntries(maxEntries);
    }
    Archives.Import imp = Archives.importInto(root.repository(), plan).limits(limits).appVersion(appVersion);
    if (dataset != null) {
      imp.dataset(dataset);
    }
    tags.forEach(imp::tag);
    if (allowDevices) {
      imp.allowDevices();
    }
    if (allowLinksOutside) {
      imp.allowLinksOutside();
    }
    Archives.ImportReport r = file.equals("-") ? imp.readFrom(root.in) : imp.readFrom(Path.of(file));
    r.warnings().forEach(root::warn);
    if (root.json) {
      root.printJson(new Summary("summary", r.snapshotId(), plan, r.format(), r.datasets(), r.files(), r.dirs(),
          r.others(), r.bytes(), r.bytesAdded(), r.warnings()));
    } else {
      root.say("imported snapshot " + r.snapshotId().substring(0, 8) + " of plan " + plan + " from " + r.format()
          + ": datasets " + String.join(", ", r.datasets()) + "; " + r.files() + " files, " + r.dirs()
          + " directories, " + HumanUnits.bytes(r.bytes()) + " (" + HumanUnits.bytes(r.bytesAdded()) + " new)");
    }
    return ExitCode.OK.code;
  }
}
