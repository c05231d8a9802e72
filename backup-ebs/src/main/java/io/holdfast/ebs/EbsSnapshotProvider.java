package io.holdfast.ebs;

import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotContext;
import io.holdfast.spi.SnapshotProvider;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotResponse;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SnapshotInfo;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

/**
 * Snapshots the EBS volumes that hold a dataset; capability {@link Capability#INSTANT}. The
 * volumes are named by id ({@link Builder#volume}) or by an instance and its device names
 * ({@link Builder#instance}).
 *
 * <p>Inside the gate hold, {@link #take(SnapshotContext)} describes the volumes, then makes one
 * {@code CreateSnapshots} call when they all belong to one instance (crash-consistent across them;
 * the instance's other volumes are excluded), or one {@code CreateSnapshot} per volume when they
 * span instances or are detached: then only the gate makes them consistent with each other, and
 * the references say so ({@code ebs.consistency = gate-per-volume}). It returns as soon as the
 * calls return, so the hold ends then. If a call fails half-way, the snapshots already made are
 * deleted, and any that cannot be are named in the exception. Snapshots a retried create call
 * made twice (its first answer lost) are found by the run's tag and deleted as well.
 *
 * <p>The returned {@link Snapshot} has no files to copy ({@code root()} is null); after the hold
 * it tags each EBS snapshot with its volume and device, then waits (bounded, {@link Builder#maxWait})
 * until every one is {@code completed}, reporting progress; one in {@code error} or a timeout fails
 * the backup with each volume's state. Its {@link Snapshot#externalReferences() references} follow
 * {@link EbsReferences}' scheme. After the commit the EBS snapshots get the tag
 * {@code holdfast:snapshot}; if the backup fails instead, closing deletes them (and names any it
 * cannot delete in the exception, which the engine reports as a warning).
 *
 * <p>Tags on every EBS snapshot: {@code holdfast:plan}, {@code holdfast:dataset},
 * {@code holdfast:run} (the run id, also in the manifest), {@code holdfast:volume},
 * {@code holdfast:device} (when attached), and {@code holdfast:snapshot} once committed.
 *
 * <p>Immutable and thread-safe; the caller owns and closes the {@link Ec2Client}.
 */
public final class EbsSnapshotProvider implements SnapshotProvider {
  private static final Logger LOG = LoggerFactory.getLogger(EbsSnapshotProvider.class);
  static final String TAG_PLAN = "holdfast:plan";
  static final String TAG_DATASET = "holdfast:dataset";
  static final String TAG_RUN = "holdfast:run";
  static final String TAG_VOLUME = "holdfast:volume";
  static final String TAG_DEVICE = "holdfast:device";
  static final String TAG_SNAPSHOT = "holdfast:snapshot";

  private final Ec2Client ec2;
  private final List<String> volumeIds;
  private final String instanceId;
  private final List<String> devices;
  private final Polling polling;

  private EbsSnapshotProvider(Builder b) {
    this.ec2 = b.ec2;
    this.volumeIds = List.copyOf(b.volumes);
    this.instanceId = b.instance;
    this.devices = List.copyOf(b.devices);
    this.polling = b.polling;
  }

  /** A builder for a provider that calls EC2 through {@code ec2} (see {@link Ec2Clients}). */
  public static Builder builder(Ec2Client ec2) {
    return new Builder(ec2);
  }

  @Override
  public String name() {
    return "ebs";
  }

  @Override
  public Capability capability() {
    return Capability.INSTANT;
  }

  /** The volume ids given, empty when the dataset is named by instance. */
  public List<String> volumeIds() {
    return volumeIds;
  }

  /** The instance given, or null. */
  public String instanceId() {
    return instanceId;
  }

  /** The device names given with the instance; empty for all its volumes. */
  public List<String> devices() {
    return devices;
  }

  /** Outside a backup run: tagged with a fresh run id, plan and dataset {@code unnamed}. */
  @Override
  public Snapshot take() throws IOException {
    return take(new SnapshotContext("unnamed", "unnamed", UUID.randomUUID().toString(), Instant.now()));
  }

  /** Looks up the instance and volumes before the hold; the hold then only creates the snapshots. */
  @Override
  public SnapshotProvider prepare(SnapshotContext ctx) throws IOException {
    Resolved r = resolve();
    EbsSnapshotProvider outer = this;
    return new SnapshotProvider() {
      @Override
      public String name() {
        return outer.name();
      }

      @Override
      public Capability capability() {
        return outer.capability();
      }

      @Override
      public Snapshot take() throws IOException {
        throw new IllegalStateException("a prepared EBS provider takes with the run's context");
      }

      @Override
      public Snapshot take(SnapshotContext context) throws IOException {
        return outer.take(context, r);
      }
    };
  }

  /** Outside a prepared run: looks the volumes up first, then creates the snapshots. */
  @Override
  public Snapshot take(SnapshotContext ctx) throws IOException {
    return take(ctx, resolve());
  }

  private Snapshot take(SnapshotContext ctx, Resolved r) throws IOException {
    List<EbsReferences.Entry> made = new ArrayList<>();
    boolean together = r.instance() != null && r.volumes().size() > 1;
    String consistency = together ? EbsReferences.MULTI_VOLUME
        : r.volumes().size() == 1 ? EbsReferences.SINGLE_VOLUME : EbsReferences.PER_VOLUME;
    try {
      if (together) {
        createSnapshots(ctx, r, made);
      } else {
        for (EbsVolume v : r.volumes()) {
          made.add(createSnapshot(ctx, v));
        }
      }
    } catch (IOException e) {
      // the one place that deletes what a failed take made (also what a call made before its
      // answer was lost), so that each EBS snapshot is named once in the message
      throw new IOException(e.getMessage() + "; " + EbsSnapshot.cleanup(ec2, ctx, made), e);
    }
    return new EbsSnapshot(ec2, polling, ctx, consistency, made, together);
  }

  /** The volumes to snapshot, and their one instance when they share one (else null). */
  private record Resolved(List<EbsVolume> volumes, String instance, Instance described) {}

  private Resolved resolve() throws IOException {
    Instance inst = null;
    List<String> ids;
    if (instanceId != null) {
      inst = describeInstance(instanceId);
      Map<String, String> byDevice = new LinkedHashMap<>();
      for (InstanceBlockDeviceMapping m : inst.blockDeviceMappings()) {
        if (m.ebs() != null) {
          byDevice.put(m.deviceName(), m.ebs().volumeId());
        }
      }
      if (devices.isEmpty()) {
        ids = new ArrayList<>(byDevice.values());
      } else {
        ids = new ArrayList<>();
        for (String d : devices) {
          String vol = byDevice.get(d);
          if (vol == null) {
            throw new IOException("instance " + instanceId + " has no EBS volume at " + d + "; its devices are "
                + byDevice.keySet());
          }
          ids.add(vol);
        }
      }
      if (ids.isEmpty()) {
        throw new IOException("instance " + instanceId + " has no EBS volumes attached");
      }
    } else {
      ids = volumeIds;
    }
    List<Volume> described = Ec2Calls.call("DescribeVolumes " + ids, () -> ec2.describeVolumes(b -> b.volumeIds(ids)))
        .volumes();
    Map<String, EbsVolume> byId = new LinkedHashMap<>();
    for (Volume v : described) {
      VolumeAttachment a = v.attachments().stream()
          .filter(x -> x.stateAsString() == null || !x.stateAsString().startsWith("detach")).findFirst().orElse(null);
      byId.put(v.volumeId(), new EbsVolume(v.volumeId(), a == null ? null : a.instanceId(), a == null ? null : a.device(),
          v.size() == null ? 0 : v.size(), v.availabilityZone(), v.volumeTypeAsString(), v.iops(), v.throughput()));
    }
    List<EbsVolume> out = new ArrayList<>();
    for (String id : ids) {
      EbsVolume v = byId.get(id);
      if (v == null) {
        throw new IOException("EC2 did not describe volume " + id);
      }
      out.add(v);
    }
    Set<String> instances = new LinkedHashSet<>();
    out.forEach(v -> instances.add(v.instance()));
    String shared = instances.size() == 1 ? instances.iterator().next() : null;
    if (shared != null && inst == null && out.size() > 1) {
      inst = describeInstance(shared);
    }
    return new Resolved(out, shared, inst);
  }

  private Instance describeInstance(String id) throws IOException {
    return Ec2Calls.call("DescribeInstances " + id, () -> ec2.describeInstances(b -> b.instanceIds(id)))
        .reservations().stream().flatMap(res -> res.instances().stream()).filter(i -> id.equals(i.instanceId()))
        .findFirst().orElseThrow(() -> new IOException("EC2 did not describe instance " + id));
  }

  private static List<Tag> tags(SnapshotContext ctx) {
    return List.of(tag(TAG_PLAN, ctx.plan()), tag(TAG_DATASET, ctx.dataset()), tag(TAG_RUN, ctx.runId()));
  }

  static Tag tag(String k, String v) {
    return Tag.builder().key(k).value(v).build();
  }

  private static String description(SnapshotContext ctx, String what) {
    String d = "Holdfast plan " + ctx.plan() + ", dataset " + ctx.dataset() + ", run " + ctx.runId() + ": " + what;
    return d.length() > 255 ? d.substring(0, 255) : d;
  }

  /**
   * One CreateSnapshots for all chosen volumes of the instance; the others are excluded. Adds the
   * snapshots of the chosen volumes to {@code made}; if a chosen volume got none, adds the others it
   * made as well and fails, leaving their deletion to the caller.
   */
  private void createSnapshots(SnapshotContext ctx, Resolved r, List<EbsReferences.Entry> made) throws IOException {
    Set<String> chosen = new LinkedHashSet<>();
    r.volumes().forEach(v -> chosen.add(v.volumeId()));
    String root = r.described().rootDeviceName();
    boolean excludeBoot = true;
    List<String> excluded = new ArrayList<>();
    for (InstanceBlockDeviceMapping m : r.described().blockDeviceMappings()) {
      if (m.ebs() == null) {
        continue;
      }
      boolean isRoot = m.deviceName().equals(root);
      if (chosen.contains(m.ebs().volumeId())) {
        excludeBoot &= !isRoot;
      } else if (!isRoot) {
        excluded.add(m.ebs().volumeId());
      }
    }
    boolean boot = excludeBoot;
    String what = "CreateSnapshots on " + r.instance();
    CreateSnapshotsResponse resp = Ec2Calls.call(what, () -> ec2.createSnapshots(b -> b
        .instanceSpecification(s -> s.instanceId(r.instance()).excludeBootVolume(boot)
            .excludeDataVolumeIds(excluded.isEmpty() ? null : excluded))
        .description(description(ctx, "volumes " + String.join(", ", chosen) + " of " + r.instance()
            + ", crash-consistent"))
        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SNAPSHOT).tags(tags(ctx)).build())));
    Map<String, EbsVolume> byId = new LinkedHashMap<>();
    r.volumes().forEach(v -> byId.put(v.volumeId(), v));
    List<EbsReferences.Entry> extra = new ArrayList<>();
    Set<String> missing = new LinkedHashSet<>(chosen);
    for (SnapshotInfo s : resp.snapshots()) {
      EbsVolume v = byId.get(s.volumeId());
      EbsVolume unknown = new EbsVolume(s.volumeId(), r.instance(), null, 0, null, null, null, null);
      (v == null ? extra : made).add(new EbsReferences.Entry(v == null ? unknown : v, s.snapshotId()));
      missing.remove(s.volumeId());
    }
    if (!missing.isEmpty()) {
      made.addAll(extra);
      throw new IOException(what + " made no snapshot of " + missing);
    }
    if (!extra.isEmpty()) {
      // a volume attached between describe and create: not part of the dataset
      LOG.warn("{} also snapshotted {}; deleting those: {}", what, extra, EbsSnapshot.deleteAll(ec2, extra));
    }
  }

  private EbsReferences.Entry createSnapshot(SnapshotContext ctx, EbsVolume v) throws IOException {
    List<Tag> tags = new ArrayList<>(tags(ctx));
    tags.add(tag(TAG_VOLUME, v.volumeId()));
    if (v.device() != null) {
      tags.add(tag(TAG_DEVICE, v.device()));
    }
    CreateSnapshotResponse resp = Ec2Calls.call("CreateSnapshot of " + v.volumeId(), () -> ec2.createSnapshot(b -> b
        .volumeId(v.volumeId()).description(description(ctx, "volume " + v.label()))
        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SNAPSHOT).tags(tags).build())));
    return new EbsReferences.Entry(v, resp.snapshotId());
  }

  @Override
  public String toString() {
    return "EbsSnapshotProvider[" + (instanceId != null ? instanceId + " " + devices : volumeIds) + "]";
  }

  /**
   * Builds an {@link EbsSnapshotProvider}; checked when built. Asks whether the snapshots are
   * done every 15 s by default, for at most 2 hours ({@code pollInterval}, {@code maxWait}).
   */
  public static final class Builder extends PollingBuilder<Builder> {
    private final Ec2Client ec2;
    private final List<String> volumes = new ArrayList<>();
    private String instance;
    private final List<String> devices = new ArrayList<>();
    private Builder(Ec2Client ec2) {
      super(Duration.ofSeconds(15), Duration.ofHours(2));
      this.ec2 = Objects.requireNonNull(ec2, "ec2");
    }

    /** Adds a volume by id ({@code vol-...}). */
    public Builder volume(String volumeId) {
      if (volumeId == null || !volumeId.startsWith("vol-")) {
        throw new IllegalArgumentException("not an EBS volume id: " + volumeId);
      }
      volumes.add(volumeId);
      return this;
    }

    /** The volumes of {@code instanceId} at {@code devices} ({@code /dev/sdf}); none given: all its volumes. */
    public Builder instance(String instanceId, String... devices) {
      if (instanceId == null || !instanceId.startsWith("i-")) {
        throw new IllegalArgumentException("not an EC2 instance id: " + instanceId);
      }
      this.instance = instanceId;
      this.devices.addAll(List.of(devices));
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public EbsSnapshotProvider build() {
      if (instance == null && volumes.isEmpty()) {
        throw new IllegalArgumentException("name the volumes: by volume id or by an instance (and its devices)");
      }
      if (instance != null && !volumes.isEmpty()) {
        throw new IllegalArgumentException("name the volumes either by id or by instance " + instance + ", not both");
      }
      if (new LinkedHashSet<>(volumes).size() != volumes.size() || new LinkedHashSet<>(devices).size() != devices.size()) {
        throw new IllegalArgumentException("a volume or device is named twice: " + volumes + devices);
      }
      return new EbsSnapshotProvider(this);
    }
  }
}
