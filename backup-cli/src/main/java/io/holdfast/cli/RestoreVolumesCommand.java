package io.holdfast.cli;

import io.holdfast.SnapshotManifest;
import io.holdfast.ebs.EbsRestoreReport;
import io.holdfast.ebs.EbsVolumeRestore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code holdfast restore-volumes}: new EBS volumes from the EBS snapshots a Holdfast snapshot
 * references, in one availability zone, optionally attached to an instance at the recorded devices.
 */
@Command(name = "restore-volumes",
    description = {"Create EBS volumes from the EBS snapshots a snapshot references.",
        "Waits until they are available (and attached, with --attach)."},
    footer = {"",
        "Examples:",
        "  holdfast restore-volumes latest --az eu-west-1a --dry-run",
        "  holdfast restore-volumes 4f2a9c1e --az eu-west-1a --type gp3 --attach i-0123456789abcdef0",
        "  holdfast restore-volumes latest --az eu-west-1a --volume vol-0abc  # one lost volume"})
final class RestoreVolumesCommand implements Callable<Integer> {
  private final HoldfastCommand root;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id (or a unique prefix), or latest.")
  String snapshot;

  @Option(names = "--az", paramLabel = "AZ", required = true, description = "Availability zone of the new volumes.")
  String az;

  @Option(names = "--type", paramLabel = "TYPE", description = "Volume type, e.g. gp3, io2 (default: as recorded).")
  String type;

  @Option(names = "--iops", paramLabel = "N", description = "Provisioned IOPS (default: as recorded, for the recorded type).")
  Integer iops;

  @Option(names = "--throughput", paramLabel = "MIBPS", description = "gp3 throughput in MiB/s.")
  Integer throughput;

  @Option(names = "--attach", paramLabel = "INSTANCE-ID",
      description = "Attach the new volumes to this instance, each at its recorded device.")
  String attach;

  @Option(names = "--volume", paramLabel = "VOLUME-ID",
      description = "Only the snapshot of this original volume (repeatable; default all).")
  List<String> volumes = new ArrayList<>();

  @Option(names = "--dataset", paramLabel = "NAME", description = "Only this dataset's volumes (default all).")
  String dataset;

  @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Tag the new volumes (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--dry-run", description = "Check the EBS snapshots and print the plan; create nothing.")
  boolean dryRun;

  @Option(names = "--max-wait", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long to wait for the volumes (default 30m).")
  Duration maxWait;

  @Mixin Ec2Options ec2;

  RestoreVolumesCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** The one object {@code restore-volumes --json} prints. */
  record Summary(String messageType, String snapshotId, boolean dryRun, List<EbsRestoreReport.Volume> volumes) {}

  @Override
  public Integer call() throws IOException {
    Map<String, String> tagMap = new LinkedHashMap<>();
    for (String t : tags) {
      int eq = t.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(), "--tag '" + t + "' is not KEY=VALUE");
      }
      tagMap.put(t.substring(0, eq), t.substring(eq + 1));
    }
    SnapshotManifest manifest = SnapshotManifest.read(root.repository(), snapshot);
    try (Ec2Client client = ec2.client()) {
      EbsVolumeRestore.Builder b = EbsVolumeRestore.builder(client).availabilityZone(az).volumeType(type)
          .attachTo(attach).dryRun(dryRun);
      try {
        b.from(manifest, dataset);
        volumes.forEach(b::volume);
        tagMap.forEach(b::tag);
        if (iops != null) {
          b.iops(iops);
        }
        if (throughput != null) {
          b.throughput(throughput);
        }
        if (maxWait != null) {
          b.maxWait(maxWait);
        }
        EbsVolumeRestore restore = b.build();
        EbsRestoreReport report = restore.run(line -> {
          if (!root.json && !root.quiet) {
            root.err.println(line);
          }
        });
        if (root.json) {
          root.printJson(new Summary("summary", manifest.snapshotId(), report.dryRun(), report.volumes()));
        } else {
          report.lines().forEach(root::say);
        }
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    return ExitCode.OK.code;
  }
}
