package io.holdfast.ebs;

import io.holdfast.spi.ExternalReferenceReleaser;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Deletes the EBS snapshots of forgotten Holdfast snapshots, for retention (opt-in: pass it to
 * forget). It owns the {@code ebs.VOLUME-ID.snapshot = snap-...} references only; sizes, devices
 * and the other descriptive keys are not its. Forget offers it only snapshots no kept Holdfast
 * snapshot still references. An EBS snapshot already gone counts as released; any other EC2
 * error (the snapshot backs a registered AMI, access denied) is thrown and leaves it in place.
 * Thread-safe; the caller owns and closes the client.
 */
public final class EbsSnapshotReleaser implements ExternalReferenceReleaser {
  private final Ec2Client ec2;

  public EbsSnapshotReleaser(Ec2Client ec2) {
    this.ec2 = Objects.requireNonNull(ec2, "ec2");
  }

  @Override
  public boolean owns(String key, String value) {
    return key != null && value != null && EbsReferences.SNAPSHOT_KEY.matcher(key).matches()
        && value.startsWith("snap-");
  }

  @Override
  public void release(String key, String value) throws IOException {
    if (!owns(key, value)) {
      throw new IllegalArgumentException("not an EBS snapshot reference: " + key + "=" + value);
    }
    try {
      Ec2Calls.call("DeleteSnapshot " + value + " (" + key + ")", () -> ec2.deleteSnapshot(b -> b.snapshotId(value)));
    } catch (NoSuchFileException gone) {
      // already deleted: released
    }
  }
}
