package io.holdfast.ebs;

import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotContext;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.SnapshotState;

/**
 * The EBS snapshots of one dataset in one backup run: waits for them, records them, tags them once
 * committed, deletes them if the run fails. The engine calls awaitCompletion, then committed (on
 * success), then close, never while awaitCompletion runs: after a failure elsewhere the engine
 * interrupts awaitCompletion, whose polling sleep then ends, and waits for it before close. The
 * state they share is guarded by this.
 */
final class EbsSnapshot implements Snapshot {
  private static final Logger LOG = LoggerFactory.getLogger(EbsSnapshot.class);

  private final Ec2Client ec2;
  private final Polling polling;
  private final SnapshotContext ctx;
  private final String consistency;
  private final List<EbsReferences.Entry> made;
  private final boolean tagPerVolume;
  private boolean committed;
  private boolean closed;

  EbsSnapshot(Ec2Client ec2, Polling polling, SnapshotContext ctx, String consistency,
      List<EbsReferences.Entry> made, boolean tagPerVolume) {
    this.ec2 = ec2;
    this.polling = polling;
    this.ctx = ctx;
    this.consistency = consistency;
    this.made = List.copyOf(made);
    this.tagPerVolume = tagPerVolume;
  }

  @Override
  public Path root() {
    return null;
  }

  @Override
  public Map<String, String> externalReferences() {
    return EbsReferences.write(consistency, made);
  }

  List<EbsReferences.Entry> made() {
    return made;
  }

  @Override
  public void awaitCompletion(Consumer<String> status) throws IOException {
    if (consistency.equals(EbsReferences.PER_VOLUME)) {
      status.accept(made.size() + " volumes on different instances (or detached): one CreateSnapshot each,"
          + " consistent with each other only through the gate");
    }
    if (tagPerVolume) {
      // CreateSnapshots tags all snapshots alike; volume and device differ, so they are tagged now, after the hold
      for (EbsReferences.Entry e : made) {
        List<software.amazon.awssdk.services.ec2.model.Tag> tags = new ArrayList<>();
        tags.add(EbsSnapshotProvider.tag(EbsSnapshotProvider.TAG_VOLUME, e.volume().volumeId()));
        if (e.volume().device() != null) {
          tags.add(EbsSnapshotProvider.tag(EbsSnapshotProvider.TAG_DEVICE, e.volume().device()));
        }
        Ec2Calls.call("CreateTags on " + e.snapshotId(), () -> ec2.createTags(b -> b.resources(e.snapshotId()).tags(tags)));
      }
    }
    List<EbsReferences.Entry> strays = strays(ec2, ctx, made);
    if (!strays.isEmpty()) {
      String result = deleteAll(ec2, strays);
      status.accept("EBS snapshots made twice by retried calls: " + result);
      if (result.contains("left in place")) {
        throw new IOException(result);
      }
    }
    List<String> ids = made.stream().map(EbsReferences.Entry::snapshotId).toList();
    polling.await("EBS snapshots " + ids, () -> look(ids), status);
  }

  private Polling.Look look(List<String> ids) throws IOException {
    synchronized (this) {
      if (closed) {
        // the backup failed elsewhere and closing deleted the snapshots: stop waiting for them
        throw new IOException("the backup ended before the EBS snapshots completed");
      }
    }
    Map<String, software.amazon.awssdk.services.ec2.model.Snapshot> byId = new LinkedHashMap<>();
    for (var s : Ec2Calls.call("DescribeSnapshots " + ids, () -> ec2.describeSnapshots(b -> b.snapshotIds(ids))).snapshots()) {
      byId.put(s.snapshotId(), s);
    }
    boolean done = true;
    boolean failed = false;
    List<String> parts = new ArrayList<>();
    for (EbsReferences.Entry e : made) {
      var s = byId.get(e.snapshotId());
      String state = s == null ? "missing" : s.stateAsString();
      String part = e.volume().label() + " " + e.snapshotId() + ": " + state;
      if (s != null && s.state() == SnapshotState.PENDING && s.progress() != null && !s.progress().isEmpty()) {
        part += " " + s.progress();
      }
      if (s != null && s.state() == SnapshotState.ERROR && s.stateMessage() != null) {
        part += " (" + s.stateMessage() + ")";
      }
      parts.add(part);
      done &= s != null && s.state() == SnapshotState.COMPLETED;
      failed |= s == null || s.state() == SnapshotState.ERROR;
    }
    String line = String.join("; ", parts);
    if (failed) {
      throw new IOException("EBS snapshots did not complete: " + line);
    }
    return new Polling.Look(done, line);
  }

  @Override
  public void committed(String snapshotId) throws IOException {
    synchronized (this) {
      committed = true;
    }
    List<String> ids = made.stream().map(EbsReferences.Entry::snapshotId).toList();
    Ec2Calls.call("CreateTags on " + ids, () -> ec2.createTags(b -> b.resources(ids)
        .tags(EbsSnapshotProvider.tag(EbsSnapshotProvider.TAG_SNAPSHOT, snapshotId))));
  }

  /** Not committed: the EBS snapshots belong to no Holdfast snapshot and are deleted. */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (committed || closed) {
        return;
      }
      closed = true;
    }
    String result = cleanup(ec2, ctx, made);
    LOG.info("{}: {}: backup not committed; {}", ctx.plan(), ctx.dataset(), result);
    if (result.contains("left in place")) {
      throw new IOException(result);
    }
  }

  /**
   * The EBS snapshots of this run and dataset (by their tags) that are not in {@code known}: made
   * by a create call whose answer was lost and that the client then retried.
   */
  static List<EbsReferences.Entry> strays(Ec2Client ec2, SnapshotContext ctx, List<EbsReferences.Entry> known)
      throws IOException {
    java.util.Set<String> ids = new java.util.HashSet<>();
    known.forEach(e -> ids.add(e.snapshotId()));
    var found = Ec2Calls.call("DescribeSnapshots of run " + ctx.runId(), () -> ec2.describeSnapshots(b -> b
        .ownerIds("self").filters(
            Filter.builder().name("tag:" + EbsSnapshotProvider.TAG_RUN).values(ctx.runId()).build(),
            Filter.builder().name("tag:" + EbsSnapshotProvider.TAG_DATASET).values(ctx.dataset()).build())))
        .snapshots();
    List<EbsReferences.Entry> out = new ArrayList<>();
    for (var s : found) {
      if (!ids.contains(s.snapshotId())) {
        out.add(new EbsReferences.Entry(new EbsVolume(s.volumeId(), null, null, s.volumeSize() == null ? 0 : s.volumeSize(),
            null, null, null, null), s.snapshotId()));
      }
    }
    return out;
  }

  /** Deletes {@code made} and this run's strays; says what it did, as {@link #deleteAll}. */
  static String cleanup(Ec2Client ec2, SnapshotContext ctx, List<EbsReferences.Entry> made) {
    List<EbsReferences.Entry> all = new ArrayList<>(made);
    String searched = "";
    try {
      all.addAll(strays(ec2, ctx, made));
    } catch (IOException e) {
      searched = "; could not look for other EBS snapshots of this run (" + e.getMessage() + "): look for the tag "
          + EbsSnapshotProvider.TAG_RUN + "=" + ctx.runId();
    }
    return deleteAll(ec2, all) + searched;
  }

  /**
   * Deletes the EBS snapshots of {@code entries}; says what it did, naming any it could not delete
   * (with the words "left in place") so that nothing is left silently.
   */
  static String deleteAll(Ec2Client ec2, List<EbsReferences.Entry> entries) {
    if (entries.isEmpty()) {
      return "no EBS snapshot had been made";
    }
    List<String> deleted = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (EbsReferences.Entry e : entries) {
      try {
        Ec2Calls.call("DeleteSnapshot " + e.snapshotId(), () -> ec2.deleteSnapshot(b -> b.snapshotId(e.snapshotId())));
        deleted.add(e.snapshotId() + " of " + e.volume().volumeId());
      } catch (NoSuchFileException gone) {
        deleted.add(e.snapshotId() + " of " + e.volume().volumeId());
      } catch (IOException x) {
        left.add(e.snapshotId() + " of " + e.volume().volumeId() + " (" + x.getMessage() + ")");
      }
    }
    String out = deleted.isEmpty() ? "" : "deleted the EBS snapshots made: " + String.join(", ", deleted);
    if (!left.isEmpty()) {
      out += (out.isEmpty() ? "" : "; ") + "EBS snapshots left in place, delete them by hand"
          + " (aws ec2 delete-snapshot --snapshot-id ...): " + String.join(", ", left);
    }
    return out;
  }

  @Override
  public String toString() {
    return "EbsSnapshot" + made;
  }
}
