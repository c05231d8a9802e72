package io.holdfast.ebs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EbsVolumeRestoreTest {
  Ec2Fixture f;
  final Map<String, String> refs = new TreeMap<>();

  @BeforeEach
  void setUp() {
    f = new Ec2Fixture();
    f.fake.instance("i-new", "eu-west-1c", "/dev/xvda");
    f.fake.completedSnapshot("snap-a", "vol-a", 100);
    f.fake.completedSnapshot("snap-b", "vol-b", 200);
    refs.putAll(Map.of("ebs.consistency", "crash-consistent-multi-volume",
        "ebs.vol-a.snapshot", "snap-a", "ebs.vol-a.device", "/dev/sdf", "ebs.vol-a.size_gib", "100",
        "ebs.vol-a.volume_type", "gp3", "ebs.vol-a.iops", "4000", "ebs.vol-a.throughput", "250",
        "ebs.vol-b.snapshot", "snap-b", "ebs.vol-b.device", "/dev/sdg", "ebs.vol-b.size_gib", "200"));
    refs.put("ebs.vol-b.instance", "i-1");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void volumesAreCreatedWithTheRecordedTypeAndIopsAttachedAtTheRecordedDevicesAndWaitedFor() throws IOException {
    f.fake.volumePolls(2);
    List<String> status = new CopyOnWriteArrayList<>();
    EbsRestoreReport r = f.restore().references(refs).availabilityZone("eu-west-1c").attachTo("i-new").build()
        .run(status::add);
    assertThat(r.dryRun()).isFalse();
    assertThat(r.volumes()).extracting(EbsRestoreReport.Volume::device, EbsRestoreReport.Volume::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/dev/sdf", "in-use"),
            org.assertj.core.groups.Tuple.tuple("/dev/sdg", "in-use"));
    var a = f.fake.volumes().get(r.volumes().get(0).newVolume());
    assertThat(a.type).isEqualTo("gp3");
    assertThat(a.iops).isEqualTo(4000);
    assertThat(a.throughput).isEqualTo(250);
    assertThat(a.instance).isEqualTo("i-new");
    assertThat(a.device).isEqualTo("/dev/sdf");
    assertThat(a.attachState).isEqualTo("attached");
    assertThat(f.fake.volumes().get(r.volumes().get(1).newVolume()).type).isEqualTo("gp3");
    assertThat(status).anyMatch(s -> s.contains("creating")).anyMatch(s -> s.contains("attaching"));
    assertThat(f.fake.events()).containsSubsequence("DescribeSnapshots", "CreateVolume", "CreateVolume",
        "DescribeVolumes", "AttachVolume", "AttachVolume", "DescribeVolumes");
    assertThat(r.lines().get(0)).contains("created vol-", "100 GiB gp3 4000 IOPS", "eu-west-1c", "from snap-a",
        "attached to i-new at /dev/sdf");
  }

  @Test
  void aDryRunChecksTheSnapshotsAndPrintsThePlanButCreatesNothing() throws IOException {
    EbsRestoreReport r = f.restore().references(refs).availabilityZone("eu-west-1c").volume("vol-b")
        .volumeType("io2").iops(9000).dryRun(true).build().run();
    assertThat(r.dryRun()).isTrue();
    assertThat(r.lines()).containsExactly(
        "would create a 200 GiB io2 9000 IOPS volume in eu-west-1c from snap-b (of vol-b at /dev/sdg)");
    assertThat(f.fake.events()).containsExactly("DescribeSnapshots");
  }

  @Test
  void aSnapshotThatIsGoneOrNotCompletedIsRefusedBeforeAnythingIsCreated() {
    f.fake.snapshots().get("snap-b").state = "pending";
    assertThatThrownBy(() -> f.restore().references(refs).availabilityZone("eu-west-1c").build().run())
        .isInstanceOf(IOException.class).hasMessageContaining("snap-b of vol-b: pending");
    assertThat(f.fake.events()).doesNotContain("CreateVolume");
  }

  @Test
  void anInstanceInAnotherZoneOrWithTheDeviceTakenIsRefusedBeforeAnythingIsCreated() {
    assertThatThrownBy(() -> f.restore().references(refs).availabilityZone("eu-west-1a").attachTo("i-new").build()
        .run()).hasMessageContaining("i-new is in eu-west-1c, not eu-west-1a").hasMessageContaining("--az eu-west-1c");
    f.fake.volume("vol-old", 100, "eu-west-1c");
    f.fake.attach("vol-old", "i-new", "/dev/sdf");
    assertThatThrownBy(() -> f.restore().references(refs).availabilityZone("eu-west-1c").attachTo("i-new").dryRun(true)
        .build().run()).hasMessageContaining("already has a volume at /dev/sdf (vol-old)");
    assertThat(f.fake.events()).doesNotContain("CreateVolume");
  }

  @Test
  void aFailedAttachNamesTheVolumesItCreatedAndLeftInPlace() {
    f.fake.fail("AttachVolume", 400, "InvalidVolume.ZoneMismatch", 1);
    assertThatThrownBy(() -> f.restore().references(refs).availabilityZone("eu-west-1c").attachTo("i-new").build().run())
        .hasMessageContaining("InvalidVolume.ZoneMismatch")
        .hasMessageContaining("volumes created and left in place")
        .hasMessageContaining("from snap-a of vol-a").hasMessageContaining("from snap-b of vol-b");
  }

  @Test
  void volumesThatStayCreatingFailAfterTheMaximumWait() {
    f.fake.volumePolls(1000);
    assertThatThrownBy(() -> f.restore().references(refs).availabilityZone("eu-west-1c")
        .pollInterval(Duration.ofSeconds(10)).maxWait(Duration.ofSeconds(30)).build().run())
        .hasMessageContaining("did not finish within PT30S").hasMessageContaining("creating");
  }

  @Test
  void theBuilderRefusesWhatItCannotDo() {
    assertThatThrownBy(() -> f.restore().references(refs).build()).hasMessageContaining("availability zone");
    assertThatThrownBy(() -> f.restore().references(Map.of("x", "y")).availabilityZone("a").build())
        .hasMessageContaining("no EBS snapshots");
    assertThatThrownBy(() -> f.restore().references(refs).availabilityZone("a").volume("vol-q").build())
        .hasMessageContaining("vol-q").hasMessageContaining("vol-a");
    refs.remove("ebs.vol-b.device");
    assertThatThrownBy(() -> f.restore().references(refs).availabilityZone("a").attachTo("i-new").build())
        .hasMessageContaining("no device is recorded for [vol-b]");
  }
}
