package io.holdfast.ebs;

import java.util.ArrayList;
import java.util.List;

/**
 * What an {@link EbsVolumeRestore} did, or, for a dry run, would do: one entry per volume.
 *
 * @param dryRun true when nothing was created
 * @param volumes in the order of the original volume ids
 */
public record EbsRestoreReport(boolean dryRun, List<Volume> volumes) {
  public EbsRestoreReport {
    volumes = List.copyOf(volumes);
  }

  /**
   * One volume to create from one EBS snapshot.
   *
   * @param originalVolume the volume the EBS snapshot was taken of
   * @param device the recorded device name, or null (the volume was detached)
   * @param iops the IOPS asked for, or null for the type's default
   * @param throughput the throughput (MiB/s) asked for, or null
   * @param attachTo the instance it is attached to at {@code device}, or null
   * @param newVolume the created volume's id; null in a dry run
   * @param state the new volume's last known state ({@code available}, {@code in-use}); {@code planned}
   *     in a dry run
   */
  public record Volume(String originalVolume, String snapshotId, String device, int sizeGib,
      String availabilityZone, String volumeType, Integer iops, Integer throughput, String attachTo,
      String newVolume, String state) {}

  /** One line per volume, for people: what was (or would be) created from what. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    for (Volume v : volumes) {
      StringBuilder b = new StringBuilder();
      b.append(dryRun ? "would create" : "created " + v.newVolume() + " (" + v.state() + ")")
          .append(" a ").append(v.sizeGib()).append(" GiB ").append(v.volumeType())
          .append(v.iops() == null ? "" : " " + v.iops() + " IOPS")
          .append(v.throughput() == null ? "" : " " + v.throughput() + " MiB/s")
          .append(" volume in ").append(v.availabilityZone()).append(" from ").append(v.snapshotId())
          .append(" (of ").append(v.originalVolume()).append(v.device() == null ? "" : " at " + v.device()).append(")");
      if (v.attachTo() != null) {
        b.append(dryRun ? ", to attach to " : ", attached to ").append(v.attachTo()).append(" at ").append(v.device());
      }
      out.add(b.toString());
    }
    return out;
  }
}
