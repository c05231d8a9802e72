package io.holdfast.ebs;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.Repository;
import io.holdfast.RestorePlan;
import io.holdfast.SnapshotManifest;
import io.holdfast.posix.DirectoryDataset;
import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import io.holdfast.testkit.ResticCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EBS volumes and a configuration directory in one plan: frozen in one hold, restored together. */
class MixedPlanTest {
  @TempDir Path tmp;
  Ec2Fixture f;
  Repository repo;
  Path config;

  @BeforeEach
  void setUp() throws Exception {
    f = new Ec2Fixture();
    repo = Ec2Fixture.repository(tmp.resolve("repo"));
    config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("app.yaml"), "data: /dev/sdf\n");
    f.instanceWithThreeDataVolumes();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  BackupReport backup() {
    // the live directory is read inside the hold; the fake's events show the EBS calls in the same hold
    return BackupEngine.run(BackupPlan.builder("app").repository(repo).gate(f.markingGate())
        .dataset(DirectoryDataset.live("config", config))
        .dataset(new EbsDataset("data", f.provider().instance("i-1", "/dev/sdf", "/dev/sdg").build()))
        .build()).orThrow();
  }

  @Test
  void volumesAndAConfigurationDirectoryAreFrozenInOneHoldAndRecordedInOneSnapshot() throws Exception {
    BackupReport report = backup();
    List<String> events = f.fake.events();
    assertThat(events).containsSubsequence("mark:acquire", "CreateSnapshots", "mark:release");
    assertThat(events).filteredOn("mark:acquire"::equals).hasSize(1);
    assertThat(report.datasets()).extracting(d -> d.name()).containsExactly("config", "data");
    assertThat(report.datasets().get(0).filesNew()).isEqualTo(1);

    SnapshotManifest m = SnapshotManifest.read(repo, "latest");
    assertThat(m.snapshotId()).isEqualTo(report.snapshotId().orElseThrow());
    assertThat(m.runId()).isEqualTo(f.fake.liveSnapshots().get(0).tags.get("holdfast:run"));
    assertThat(m.externalReferences().get("config")).isEmpty();
    assertThat(m.externalReferences().get("data")).containsEntry("ebs.consistency", "crash-consistent-multi-volume")
        .containsEntry("ebs.vol-a.device", "/dev/sdf").containsKey("ebs.vol-b.snapshot");

    Path out = tmp.resolve("restored");
    BackupEngine.run(RestorePlan.builder(repo).targetRoot(out).build()).orThrow();
    assertThat(out.resolve("config/app.yaml")).hasContent("data: /dev/sdf");
    assertThat(out.resolve("data")).isEmptyDirectory();
  }

  @Test
  void resticChecksTheRepositoryAndSeesTheEbsDatasetAsAnEmptyDirectory() {
    ResticCli.require();
    backup();
    ResticCli restic = new ResticCli(tmp.resolve("repo"), Ec2Fixture.PASSWORD);
    restic.ok("check");
    assertThat(restic.ok("ls", "latest").stdout()).contains("/data", "/config/app.yaml");
    assertThat(restic.ok("dump", "latest", "/.holdfast/manifest.json").stdout())
        .contains("\"ebs.vol-a.snapshot\"", "\"provider\" : \"ebs\"");
  }

  @Test
  void aFailureOfTheOtherDatasetAfterTheHoldDeletesTheEbsSnapshots() throws Exception {
    // an instant snapshot whose files vanish: its read fails after the hold, when both takes have returned
    Path gone = tmp.resolve("gone");
    SnapshotProvider vanishing = new SnapshotProvider() {
      @Override
      public String name() {
        return "vanishing";
      }

      @Override
      public Capability capability() {
        return Capability.INSTANT;
      }

      @Override
      public Snapshot take() {
        return () -> gone;
      }
    };
    BackupReport report = BackupEngine.run(BackupPlan.builder("app").repository(repo).gate(f.markingGate())
        .dataset(DirectoryDataset.builder("config", config).provider(root -> vanishing).build())
        .dataset(new EbsDataset("data", f.provider().instance("i-1", "/dev/sdf", "/dev/sdg").build()))
        .build());
    assertThat(report.succeeded()).isFalse();
    assertThat(report.failure().orElseThrow().subject()).isEqualTo("config");
    assertThat(f.fake.snapshots()).hasSize(2);
    assertThat(f.fake.liveSnapshots()).isEmpty();
    assertThat(f.fake.events()).containsSubsequence("CreateSnapshots", "mark:release", "DeleteSnapshot",
        "DeleteSnapshot");
  }

  @Test
  void theVolumesOfABackupAreRestoredFromItsManifest() throws Exception {
    backup();
    EbsRestoreReport r = f.restore().from(SnapshotManifest.read(repo, "latest"), "data")
        .availabilityZone("eu-west-1b").volumeType("io2").iops(5000).tag("team", "ops").build().run();
    assertThat(r.volumes()).extracting(EbsRestoreReport.Volume::originalVolume).containsExactly("vol-a", "vol-b");
    assertThat(r.volumes()).allSatisfy(v -> {
      var created = f.fake.volumes().get(v.newVolume());
      assertThat(created.az).isEqualTo("eu-west-1b");
      assertThat(created.type).isEqualTo("io2");
      assertThat(created.iops).isEqualTo(5000);
      assertThat(created.state).isEqualTo("available");
      assertThat(created.fromSnapshot).isEqualTo(v.snapshotId());
      assertThat(created.tags).containsEntry("team", "ops").containsEntry("holdfast:original-volume", v.originalVolume())
          .containsKey("holdfast:snapshot");
    });
  }
}
