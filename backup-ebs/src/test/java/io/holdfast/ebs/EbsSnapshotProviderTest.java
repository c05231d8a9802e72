package io.holdfast.ebs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.BackupEngine;
import io.holdfast.BackupListener;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.Repository;
import io.holdfast.spi.ConsistencyGate;
import io.holdfast.testkit.FakeEc2;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EbsSnapshotProviderTest {
  @TempDir Path tmp;
  Ec2Fixture f;
  Repository repo;
  final List<String> status = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    f = new Ec2Fixture();
    repo = Ec2Fixture.repository(tmp.resolve("repo"));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  BackupReport backup(EbsSnapshotProvider provider) {
    BackupPlan plan = BackupPlan.builder("web").repository(repo).gate(f.markingGate())
        .dataset(new EbsDataset("volumes", provider)).build();
    try (BackupEngine engine = BackupEngine.builder().listener(new BackupListener() {
      @Override
      public void status(String plan, String dataset, String message) {
        status.add(dataset + ": " + message);
      }
    }).build()) {
      return engine.backup(plan);
    }
  }

  @Test
  void volumesOfOneInstanceAreSnapshottedByOneCreateSnapshotsInsideTheHold() {
    f.instanceWithThreeDataVolumes();
    BackupReport report = backup(f.provider().instance("i-1", "/dev/sdf", "/dev/sdg").build()).orThrow();

    List<String> events = f.fake.events();
    assertThat(events).containsSubsequence("DescribeInstances", "DescribeVolumes", "mark:acquire", "CreateSnapshots",
        "mark:release", "DescribeSnapshots");
    // the lookups happen before the hold (prepare); inside it, only the one create call
    assertThat(events.subList(events.indexOf("mark:acquire"), events.indexOf("mark:release")))
        .containsExactly("mark:acquire", "CreateSnapshots");
    Map<String, String> call = f.fake.requests("CreateSnapshots").get(0);
    assertThat(call).containsEntry("InstanceSpecification.InstanceId", "i-1")
        .containsEntry("InstanceSpecification.ExcludeBootVolume", "true")
        .containsEntry("InstanceSpecification.ExcludeDataVolumeId.1", "vol-c");
    assertThat(f.fake.liveSnapshots()).extracting(s -> s.volumeId).containsExactlyInAnyOrder("vol-a", "vol-b");

    String id = report.snapshotId().orElseThrow();
    Map<String, String> refs = report.datasets().get(0).externalReferences();
    for (FakeEc2.Snap s : f.fake.liveSnapshots()) {
      assertThat(s.state).isEqualTo("completed");
      assertThat(s.tags).containsEntry("holdfast:plan", "web").containsEntry("holdfast:dataset", "volumes")
          .containsEntry("holdfast:volume", s.volumeId).containsEntry("holdfast:snapshot", id)
          .containsKey("holdfast:run");
      assertThat(s.description).contains("web", "volumes", "crash-consistent");
      assertThat(refs).containsEntry("ebs." + s.volumeId + ".snapshot", s.id);
    }
    assertThat(refs).containsEntry("ebs.consistency", "crash-consistent-multi-volume")
        .containsEntry("ebs.vol-a.device", "/dev/sdf").containsEntry("ebs.vol-b.device", "/dev/sdg")
        .containsEntry("ebs.vol-a.size_gib", "100").containsEntry("ebs.vol-a.az", "eu-west-1a")
        .containsEntry("ebs.vol-a.instance", "i-1").containsEntry("ebs.vol-a.iops", "4000")
        .doesNotContainKey("ebs.vol-c.snapshot").doesNotContainKey("ebs.vol-root.snapshot");
    assertThat(f.fake.liveSnapshots()).extracting(s -> s.tags.get("holdfast:device"))
        .containsExactlyInAnyOrder("/dev/sdf", "/dev/sdg");
  }

  @Test
  void progressGoesFromPendingToCompletedToTheListenerWithoutRealWaiting() {
    f.instanceWithThreeDataVolumes();
    f.fake.pollsToComplete(3);
    backup(f.provider().instance("i-1", "/dev/sdf", "/dev/sdg").pollInterval(Duration.ofSeconds(15)).build()).orThrow();
    assertThat(status).anyMatch(s -> s.startsWith("volumes: ") && s.contains("vol-a (/dev/sdf on i-1)")
        && s.contains("pending") && s.contains("%"));
    assertThat(status.get(status.size() - 1)).contains("vol-a (/dev/sdf on i-1) snap-", ": completed", "vol-b")
        .doesNotContain("pending");
    assertThat(f.time.sleeps).isEqualTo(2);
  }

  @Test
  void anInstanceWithoutDevicesGivenMeansAllItsVolumesBootIncluded() {
    f.instanceWithThreeDataVolumes();
    BackupReport report = backup(f.provider().instance("i-1").build()).orThrow();
    assertThat(f.fake.requests("CreateSnapshots").get(0)).containsEntry("InstanceSpecification.ExcludeBootVolume", "false")
        .doesNotContainKey("InstanceSpecification.ExcludeDataVolumeId.1");
    assertThat(report.datasets().get(0).externalReferences()).containsKeys("ebs.vol-root.snapshot",
        "ebs.vol-a.snapshot", "ebs.vol-b.snapshot", "ebs.vol-c.snapshot");
  }

  @Test
  void volumesGivenByIdOnOneInstanceAreStillSnapshottedTogether() {
    f.instanceWithThreeDataVolumes();
    backup(f.provider().volume("vol-a").volume("vol-c").build()).orThrow();
    assertThat(f.fake.events()).doesNotContain("CreateSnapshot").contains("CreateSnapshots");
    assertThat(f.fake.requests("CreateSnapshots").get(0))
        .containsEntry("InstanceSpecification.ExcludeDataVolumeId.1", "vol-b");
  }

  @Test
  void volumesSpanningInstancesGetOneCreateSnapshotEachAndTheReportSaysTheGateMakesThemConsistent() {
    f.volumesOnTwoInstances();
    BackupReport report = backup(f.provider().volume("vol-x").volume("vol-y").volume("vol-z").build()).orThrow();
    List<String> events = f.fake.events();
    List<String> held = events.subList(events.indexOf("mark:acquire"), events.indexOf("mark:release"));
    assertThat(held).filteredOn("CreateSnapshot"::equals).hasSize(3);
    assertThat(events).doesNotContain("CreateSnapshots");
    Map<String, String> refs = report.datasets().get(0).externalReferences();
    assertThat(refs).containsEntry("ebs.consistency", "gate-per-volume")
        .containsEntry("ebs.vol-x.instance", "i-1").containsEntry("ebs.vol-y.instance", "i-2")
        .doesNotContainKey("ebs.vol-z.device");
    assertThat(status).anyMatch(s -> s.contains("consistent with each other only through the gate"));
    FakeEc2.Snap y = f.fake.liveSnapshots().stream().filter(s -> s.volumeId.equals("vol-y")).findFirst().orElseThrow();
    assertThat(y.tags).containsEntry("holdfast:volume", "vol-y").containsEntry("holdfast:device", "/dev/sdf")
        .containsEntry("holdfast:snapshot", report.snapshotId().orElseThrow());
  }

  @Test
  void aSnapshotInErrorFailsTheBackupNamingEachVolumesStateAndDeletesTheSnapshots() {
    f.instanceWithThreeDataVolumes();
    f.fake.snapshotsFail("vol-b");
    BackupReport report = backup(f.provider().instance("i-1", "/dev/sdf", "/dev/sdg").build());
    assertThat(report.succeeded()).isFalse();
    assertThat(report.failure().orElseThrow().message()).contains("volumes", "vol-a (/dev/sdf on i-1)", "completed",
        "vol-b (/dev/sdg on i-1)", "error", "internal error");
    assertThat(f.fake.snapshots()).hasSize(2);
    assertThat(f.fake.liveSnapshots()).isEmpty();
    assertThat(f.fake.snapshots().values()).allSatisfy(s -> assertThat(s.tags).doesNotContainKey("holdfast:snapshot"));
  }

  @Test
  void snapshotsThatDoNotCompleteWithinTheMaximumWaitFailTheBackup() {
    f.instanceWithThreeDataVolumes();
    f.fake.pollsToComplete(1000);
    BackupReport report = backup(f.provider().instance("i-1", "/dev/sdf")
        .pollInterval(Duration.ofSeconds(15)).maxWait(Duration.ofMinutes(1)).build());
    assertThat(report.failure().orElseThrow().message()).contains("did not finish within PT1M", "vol-a", "pending");
    assertThat(f.time.sleeps).isEqualTo(4);
    assertThat(f.fake.liveSnapshots()).isEmpty();
  }

  @Test
  void throttlingIsRetriedByTheClient() {
    f.instanceWithThreeDataVolumes();
    f.fake.fail("CreateSnapshots", 503, "RequestLimitExceeded", 2);
    f.fake.fail("DescribeSnapshots", 503, "RequestLimitExceeded", 1);
    backup(f.provider().instance("i-1", "/dev/sdf", "/dev/sdg").build()).orThrow();
    assertThat(f.fake.events()).filteredOn("CreateSnapshots"::equals).hasSize(3);
    assertThat(f.fake.liveSnapshots()).hasSize(2);
  }

  @Test
  void snapshotsMadeTwiceByARetriedCallWhoseAnswerWasLostAreDeleted() {
    f.instanceWithThreeDataVolumes();
    f.fake.failAfterDoing("CreateSnapshots", 500, "InternalError");
    BackupReport report = backup(f.provider().instance("i-1", "/dev/sdf", "/dev/sdg").build()).orThrow();
    assertThat(f.fake.snapshots()).hasSize(4);
    assertThat(f.fake.liveSnapshots()).hasSize(2).allSatisfy(s -> assertThat(
        report.datasets().get(0).externalReferences()).containsValue(s.id));
    assertThat(status).anyMatch(s -> s.contains("made twice by retried calls"));
  }

  @Test
  void aCreateThatFailsAfterDoingItsWorkLeavesNoSnapshotBehind() {
    f.volumesOnTwoInstances();
    f.fake.failAfterDoing("CreateSnapshot", 400, "IncorrectState");
    BackupReport report = backup(f.provider().volume("vol-x").volume("vol-y").build());
    assertThat(report.failure().orElseThrow().message()).contains("CreateSnapshot of vol-x", "IncorrectState",
        "deleted the EBS snapshots made", "of vol-x");
    assertThat(f.fake.snapshots()).hasSize(1);
    assertThat(f.fake.liveSnapshots()).isEmpty();
  }

  @Test
  void aFailureHalfWayThroughTheVolumesDeletesTheSnapshotsAlreadyMade() {
    f.volumesOnTwoInstances();
    f.fake.failSnapshotOf("vol-y", "IncorrectState");
    BackupReport report = backup(f.provider().volume("vol-x").volume("vol-y").volume("vol-z").build());
    String message = report.failure().orElseThrow().message();
    assertThat(message).contains("CreateSnapshot of vol-y", "IncorrectState", "deleted the EBS snapshots made", "vol-x");
    assertThat(f.fake.snapshots()).hasSize(1);
    assertThat(f.fake.liveSnapshots()).isEmpty();
    assertThat(f.fake.events()).containsSubsequence("CreateSnapshot", "CreateSnapshot", "DeleteSnapshot", "mark:release");
    // no waiting for completion; one search by the run's tag for snapshots a lost answer may hide
    assertThat(f.fake.requests("DescribeSnapshots")).singleElement()
        .satisfies(r -> assertThat(r).doesNotContainKey("SnapshotId.1").containsEntry("Filter.1.Name", "tag:holdfast:run"));
  }

  /** A backup whose gate detaches {@code volume} while it holds: after the lookups, before the create. */
  BackupReport backupDetachingDuringTheHold(EbsSnapshotProvider provider, String volume) {
    ConsistencyGate detaching = new ConsistencyGate() {
      @Override
      public String name() {
        return "detaching";
      }

      @Override
      public Hold acquire(Duration timeout) {
        f.fake.detach(volume);
        return () -> { };
      }
    };
    BackupPlan plan = BackupPlan.builder("web").repository(repo).gate(detaching)
        .dataset(new EbsDataset("volumes", provider)).build();
    try (BackupEngine engine = BackupEngine.builder().build()) {
      return engine.backup(plan);
    }
  }

  @Test
  void aCreateSnapshotsThatMissesAVolumeDeletesWhatItMadeAndNamesEachSnapshotOnce() {
    f.instanceWithThreeDataVolumes();
    BackupReport report = backupDetachingDuringTheHold(f.provider().instance("i-1", "/dev/sdf", "/dev/sdg").build(),
        "vol-b");
    String message = report.failure().orElseThrow().message();
    FakeEc2.Snap a = f.fake.snapshots().values().stream().filter(s -> s.volumeId.equals("vol-a")).findFirst()
        .orElseThrow();
    assertThat(message).contains("CreateSnapshots on i-1 made no snapshot of [vol-b]",
        "deleted the EBS snapshots made: " + a.id + " of vol-a").doesNotContain("no EBS snapshot had been made");
    assertThat(message.split(a.id + " of ", -1)).as("%s named once in: %s", a.id, message).hasSize(2);
    assertThat(f.fake.liveSnapshots()).isEmpty();
  }

  @Test
  void aSnapshotLeftInPlaceAfterACreateSnapshotsThatMissedAVolumeIsNamedOnce() {
    f.instanceWithThreeDataVolumes();
    f.fake.fail("DeleteSnapshot", 403, "UnauthorizedOperation", 1);
    BackupReport report = backupDetachingDuringTheHold(f.provider().instance("i-1", "/dev/sdf", "/dev/sdg").build(),
        "vol-b");
    String message = report.failure().orElseThrow().message();
    FakeEc2.Snap a = f.fake.snapshots().values().stream().filter(s -> s.volumeId.equals("vol-a")).findFirst()
        .orElseThrow();
    assertThat(message).contains("left in place", a.id + " of vol-a", "UnauthorizedOperation");
    assertThat(message.split(a.id + " of ", -1)).as("%s named once in: %s", a.id, message).hasSize(2);
    assertThat(f.fake.liveSnapshots()).as("left in place, as the message says").containsExactly(a);
  }

  @Test
  void aSnapshotThatCannotBeDeletedAfterAFailureIsNamedNotSilentlyLeft() {
    f.volumesOnTwoInstances();
    f.fake.failSnapshotOf("vol-y", "IncorrectState");
    f.fake.fail("DeleteSnapshot", 403, "UnauthorizedOperation", 1);
    BackupReport report = backup(f.provider().volume("vol-x").volume("vol-y").build());
    FakeEc2.Snap x = f.fake.liveSnapshots().get(0);
    assertThat(report.failure().orElseThrow().message()).contains("left in place", x.id, "vol-x",
        "UnauthorizedOperation", "aws ec2 delete-snapshot");
  }

  @Test
  void aDeviceTheInstanceDoesNotHaveIsReportedWithTheDevicesItHas() {
    f.instanceWithThreeDataVolumes();
    BackupReport report = backup(f.provider().instance("i-1", "/dev/sdz").build());
    assertThat(report.failure().orElseThrow().message()).contains("i-1 has no EBS volume at /dev/sdz", "/dev/sdf");
    assertThat(f.fake.snapshots()).isEmpty();
  }

  @Test
  void anUnknownVolumeFailsWithEc2sErrorCodeAndNoCredentials() {
    f.instanceWithThreeDataVolumes();
    BackupReport report = backup(f.provider().volume("vol-nope").build());
    assertThat(report.failure().orElseThrow().message()).contains("InvalidVolume.NotFound", "vol-nope")
        .doesNotContain("fake-secret", "AKIDFAKE");
  }

  @Test
  void theBuilderRefusesNoVolumesAndBothKinds() {
    assertThatThrownBy(() -> f.provider().build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name the volumes");
    assertThatThrownBy(() -> f.provider().volume("vol-a").instance("i-1").build())
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> f.provider().volume("disk1")).hasMessageContaining("not an EBS volume id");
  }
}
