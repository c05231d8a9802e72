/**
 * Holdfast for data on EBS volumes: {@link io.holdfast.ebs.EbsSnapshotProvider} and
 * {@link io.holdfast.ebs.EbsDataset} take EBS snapshots inside a plan's gate hold (one
 * {@code CreateSnapshots} per instance, crash-consistent across its volumes) and record them as
 * external references of the Holdfast snapshot once EC2 has completed them;
 * {@link io.holdfast.ebs.EbsVolumeRestore} creates (and attaches) volumes from them;
 * {@link io.holdfast.ebs.EbsSnapshotReleaser} lets retention delete them;
 * {@link io.holdfast.ebs.Ec2Clients} builds the EC2 client from the SDK's standard configuration.
 * The module's {@code README.md} has the disaster-recovery runbook.
 */
package io.holdfast.ebs;
