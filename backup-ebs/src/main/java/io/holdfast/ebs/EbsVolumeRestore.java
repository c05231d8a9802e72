package io.holdfast.ebs;

import io.holdfast.SnapshotManifest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVolumeResponse;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/**
 * Creates EBS volumes from the EBS snapshots a Holdfast snapshot references, in a chosen
 * availability zone, optionally attaches them to an instance at the recorded devices, and waits
 * (bounded) until they are available (or attached). Built with {@link #builder}, checked when
 * built; {@link #run} may be called more than once (each run creates new volumes).
 *
 * <p>Before creating anything it checks that every EBS snapshot exists and is {@code completed},
 * and that the instance to attach to is in the zone with the recorded devices free. A dry run
 * stops there and returns the plan. If a step fails after volumes were created, the
 * exception names each created volume and its state: they are left for the operator (a restore
 * in a disaster should not delete what it made), never silently. New volumes are tagged
 * {@code holdfast:restored-from} (the EBS snapshot), {@code holdfast:original-volume},
 * {@code holdfast:snapshot} (when known) and the caller's tags. Thread-safe; the caller owns the
 * client.
 */
public final class EbsVolumeRestore {
  private final Ec2Client ec2;
  private final List<EbsReferences.Entry> entries;
  private final String holdfastSnapshot;
  private final String az;
  private final String volumeType;
  private final Integer iops;
  private final Integer throughput;
  private final Map<String, String> tags;
  private final String attachTo;
  private final boolean dryRun;
  private final Polling polling;

  private EbsVolumeRestore(Builder b, List<EbsReferences.Entry> entries) {
    this.ec2 = b.ec2;
    this.entries = List.copyOf(entries);
    this.holdfastSnapshot = b.holdfastSnapshot;
    this.az = b.az;
    this.volumeType = b.volumeType;
    this.iops = b.iops;
    this.throughput = b.throughput;
    this.tags = Map.copyOf(b.tags);
    this.attachTo = b.attachTo;
    this.dryRun = b.dryRun;
    this.polling = b.polling;
  }

  public static Builder builder(Ec2Client ec2) {
    return new Builder(ec2);
  }

  /** The volumes this restore creates (state {@code planned}); no EC2 call. */
  public EbsRestoreReport plan() {
    List<EbsRestoreReport.Volume> out = new ArrayList<>();
    for (EbsReferences.Entry e : entries) {
      out.add(planned(e));
    }
    return new EbsRestoreReport(true, out);
  }

  private EbsRestoreReport.Volume planned(EbsReferences.Entry e) {
    EbsVolume v = e.volume();
    String type = volumeType != null ? volumeType : v.volumeType() != null ? v.volumeType() : "gp3";
    // the recorded IOPS and throughput go with the recorded type only
    Integer io = iops != null ? iops : volumeType == null ? v.iops() : null;
    Integer tp = throughput != null ? throughput : volumeType == null ? v.throughput() : null;
    return new EbsRestoreReport.Volume(v.volumeId(), e.snapshotId(), v.device(), v.sizeGib(), az, type, io, tp,
        attachTo, null, "planned");
  }

  /** {@link #run(Consumer)} without progress lines. */
  public EbsRestoreReport run() throws IOException {
    return run(line -> {});
  }

  /** Checks the EBS snapshots, then (unless a dry run) creates, attaches and waits; progress to {@code status}. */
  public EbsRestoreReport run(Consumer<String> status) throws IOException {
    checkSnapshots();
    if (attachTo != null) {
      checkInstance();
    }
    if (dryRun) {
      return plan();
    }
    Map<String, EbsRestoreReport.Volume> created = new LinkedHashMap<>();
    try {
      for (EbsReferences.Entry e : entries) {
        EbsRestoreReport.Volume p = planned(e);
        CreateVolumeResponse r = Ec2Calls.call("CreateVolume from " + e.snapshotId(), () -> ec2.createVolume(b -> b
            .availabilityZone(az).snapshotId(e.snapshotId()).volumeType(p.volumeType()).iops(p.iops())
            .throughput(p.throughput()).tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VOLUME)
                .tags(volumeTags(e)).build())));
        created.put(r.volumeId(), withState(p, r.volumeId(), r.stateAsString()));
      }
      awaitVolumes(created, false, status);
      if (attachTo != null) {
        for (Map.Entry<String, EbsRestoreReport.Volume> c : created.entrySet()) {
          Ec2Calls.call("AttachVolume " + c.getKey() + " to " + attachTo + " at " + c.getValue().device(),
              () -> ec2.attachVolume(b -> b.volumeId(c.getKey()).instanceId(attachTo).device(c.getValue().device())));
        }
        awaitVolumes(created, true, status);
      }
    } catch (IOException | RuntimeException e) {
      if (created.isEmpty()) {
        throw e;
      }
      List<String> made = created.values().stream()
          .map(v -> v.newVolume() + " (" + v.state() + ", from " + v.snapshotId() + " of " + v.originalVolume() + ")")
          .toList();
      throw new IOException(e.getMessage() + "; volumes created and left in place (attach or delete them): "
          + String.join(", ", made), e);
    }
    return new EbsRestoreReport(false, new ArrayList<>(created.values()));
  }

  private static EbsRestoreReport.Volume withState(EbsRestoreReport.Volume p, String id, String state) {
    return new EbsRestoreReport.Volume(p.originalVolume(), p.snapshotId(), p.device(), p.sizeGib(), p.availabilityZone(),
        p.volumeType(), p.iops(), p.throughput(), p.attachTo(), id, state);
  }

  private List<Tag> volumeTags(EbsReferences.Entry e) {
    List<Tag> out = new ArrayList<>();
    out.add(EbsSnapshotProvider.tag("holdfast:restored-from", e.snapshotId()));
    out.add(EbsSnapshotProvider.tag("holdfast:original-volume", e.volume().volumeId()));
    if (holdfastSnapshot != null) {
      out.add(EbsSnapshotProvider.tag(EbsSnapshotProvider.TAG_SNAPSHOT, holdfastSnapshot));
    }
    tags.forEach((k, v) -> out.add(EbsSnapshotProvider.tag(k, v)));
    return out;
  }

  private void checkSnapshots() throws IOException {
    List<String> ids = entries.stream().map(EbsReferences.Entry::snapshotId).toList();
    Map<String, String> states = new LinkedHashMap<>();
    for (var s : Ec2Calls.call("DescribeSnapshots " + ids, () -> ec2.describeSnapshots(b -> b.snapshotIds(ids)))
        .snapshots()) {
      states.put(s.snapshotId(), s.state() == SnapshotState.COMPLETED ? null : s.stateAsString());
    }
    List<String> bad = new ArrayList<>();
    for (EbsReferences.Entry e : entries) {
      if (!states.containsKey(e.snapshotId())) {
        bad.add(e.snapshotId() + " of " + e.volume().volumeId() + ": missing");
      } else if (states.get(e.snapshotId()) != null) {
        bad.add(e.snapshotId() + " of " + e.volume().volumeId() + ": " + states.get(e.snapshotId()));
      }
    }
    if (!bad.isEmpty()) {
      throw new IOException("cannot restore from EBS snapshots that are not completed: " + String.join(", ", bad));
    }
  }

  /** The instance to attach to must be in the zone and have the recorded devices free. */
  private void checkInstance() throws IOException {
    software.amazon.awssdk.services.ec2.model.Instance inst = Ec2Calls.call("DescribeInstances " + attachTo,
        () -> ec2.describeInstances(b -> b.instanceIds(attachTo))).reservations().stream()
        .flatMap(r -> r.instances().stream()).filter(i -> attachTo.equals(i.instanceId())).findFirst()
        .orElseThrow(() -> new IOException("EC2 did not describe instance " + attachTo));
    String zone = inst.placement() == null ? null : inst.placement().availabilityZone();
    if (zone != null && !zone.equals(az)) {
      throw new IOException("instance " + attachTo + " is in " + zone + ", not " + az
          + ": volumes attach only to instances in their zone; restore with --az " + zone);
    }
    List<String> taken = new ArrayList<>();
    for (var m : inst.blockDeviceMappings()) {
      if (entries.stream().anyMatch(e -> m.deviceName().equals(e.volume().device()))) {
        taken.add(m.deviceName() + " (" + (m.ebs() == null ? "in use" : m.ebs().volumeId()) + ")");
      }
    }
    if (!taken.isEmpty()) {
      throw new IOException("instance " + attachTo + " already has a volume at " + String.join(", ", taken)
          + "; detach it first, or restore without attaching");
    }
  }

  /** Polls until every created volume is available (or, after attaching, attached). */
  private void awaitVolumes(Map<String, EbsRestoreReport.Volume> created, boolean attached, Consumer<String> status)
      throws IOException {
    List<String> ids = List.copyOf(created.keySet());
    polling.await("volumes " + ids, () -> {
      boolean done = true;
      List<String> parts = new ArrayList<>();
      for (Volume v : Ec2Calls.call("DescribeVolumes " + ids, () -> ec2.describeVolumes(b -> b.volumeIds(ids))).volumes()) {
        String state = v.stateAsString();
        boolean ok;
        if (attached) {
          var a = v.attachments().stream().filter(x -> attachTo.equals(x.instanceId())).findFirst().orElse(null);
          state = a == null ? state : state + "/" + a.stateAsString();
          ok = a != null && a.state() == VolumeAttachmentState.ATTACHED;
        } else {
          ok = v.state() == VolumeState.AVAILABLE;
        }
        if (v.state() == VolumeState.ERROR) {
          created.computeIfPresent(v.volumeId(), (k, p) -> withState(p, k, v.stateAsString()));
          throw new IOException("volume " + v.volumeId() + " went into state error");
        }
        String s = state;
        created.computeIfPresent(v.volumeId(), (k, p) -> withState(p, k, attached ? v.stateAsString() : s));
        parts.add(v.volumeId() + ": " + state);
        done &= ok;
      }
      return new Polling.Look(done, String.join("; ", parts));
    }, status);
  }

  /**
   * Builds an {@link EbsVolumeRestore}; checked when built. Waits by default every 5 s, for at
   * most 30 minutes ({@code pollInterval}, {@code maxWait}).
   */
  public static final class Builder extends PollingBuilder<Builder> {
    private final Ec2Client ec2;
    private final Map<String, String> references = new LinkedHashMap<>();
    private final Set<String> only = new LinkedHashSet<>();
    private String holdfastSnapshot;
    private String az;
    private String volumeType;
    private Integer iops;
    private Integer throughput;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private String attachTo;
    private boolean dryRun;
    private Builder(Ec2Client ec2) {
      super(Duration.ofSeconds(5), Duration.ofMinutes(30));
      this.ec2 = Objects.requireNonNull(ec2, "ec2");
    }

    /** The EBS references of every dataset of {@code manifest} (or only {@code dataset}'s, when not null). */
    public Builder from(SnapshotManifest manifest, String dataset) {
      boolean found = false;
      for (SnapshotManifest.DatasetEntry d : manifest.datasets()) {
        if (dataset == null || d.name().equals(dataset)) {
          references.putAll(EbsReferences.only(d.externalReferences()));
          found = true;
        }
      }
      if (!found) {
        throw new IllegalArgumentException("snapshot " + manifest.snapshotId().substring(0, 8) + " has no dataset '"
            + dataset + "'");
      }
      holdfastSnapshot = manifest.snapshotId();
      return this;
    }

    /** References as a backup recorded them ({@code DatasetReport.externalReferences()}). */
    public Builder references(Map<String, String> refs) {
      references.putAll(EbsReferences.only(refs));
      return this;
    }

    /** Restores only the snapshot of this original volume (repeatable; default: all). */
    public Builder volume(String originalVolumeId) {
      only.add(originalVolumeId);
      return this;
    }

    /** The availability zone of the new volumes (required; an attached instance must be in it). */
    public Builder availabilityZone(String az) {
      this.az = az;
      return this;
    }

    /** The volume type (default: the recorded one, else gp3). */
    public Builder volumeType(String type) {
      this.volumeType = type;
      return this;
    }

    public Builder iops(int iops) {
      this.iops = iops;
      return this;
    }

    /** MiB/s (gp3). */
    public Builder throughput(int mibPerSecond) {
      this.throughput = mibPerSecond;
      return this;
    }

    public Builder tag(String key, String value) {
      tags.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Attaches the new volumes to {@code instanceId}, each at its recorded device. */
    public Builder attachTo(String instanceId) {
      this.attachTo = instanceId;
      return this;
    }

    /** Check and plan only; create nothing. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    @Override
    Builder self() {
      return this;
    }

    public EbsVolumeRestore build() {
      if (az == null || az.isBlank()) {
        throw new IllegalArgumentException("give the availability zone of the new volumes");
      }
      List<EbsReferences.Entry> entries = new ArrayList<>(EbsReferences.read(references));
      if (entries.isEmpty()) {
        throw new IllegalArgumentException("no EBS snapshots to restore: the references hold no ebs.VOLUME.snapshot");
      }
      if (!only.isEmpty()) {
        Set<String> unknown = new LinkedHashSet<>(only);
        entries.forEach(e -> unknown.remove(e.volume().volumeId()));
        if (!unknown.isEmpty()) {
          throw new IllegalArgumentException("no EBS snapshot of " + unknown + " is recorded; recorded volumes: "
              + entries.stream().map(e -> e.volume().volumeId()).toList());
        }
        entries.removeIf(e -> !only.contains(e.volume().volumeId()));
      }
      if (attachTo != null) {
        List<String> noDevice = entries.stream().filter(e -> e.volume().device() == null)
            .map(e -> e.volume().volumeId()).toList();
        if (!noDevice.isEmpty()) {
          throw new IllegalArgumentException("no device is recorded for " + noDevice + " (detached when backed up);"
              + " restore without attaching and attach by hand");
        }
      }
      return new EbsVolumeRestore(this, entries);
    }
  }
}
