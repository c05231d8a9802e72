package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.testkit.FakeEc2;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backup --ebs-instance/--ebs-volume and restore-volumes against a fake EC2 endpoint (--ec2-endpoint). */
class EbsCommandsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  FakeEc2 fake;
  Cli cli;
  Path config;

  /** The SDK's standard chain reads region and credentials from these system properties first. */
  @BeforeAll
  static void awsSettings() {
    System.setProperty("aws.region", "eu-west-1");
    System.setProperty("aws.accessKeyId", "AKIDCLITEST");
    System.setProperty("aws.secretAccessKey", "cli-test-secret");
  }

  @AfterAll
  static void clearAwsSettings() {
    System.clearProperty("aws.region");
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @BeforeEach
  void setUp() throws Exception {
    fake = FakeEc2.start();
    fake.pollsToComplete(1);
    fake.instance("i-1", "eu-west-1a", "/dev/xvda");
    fake.instance("i-2", "eu-west-1b", "/dev/xvda");
    fake.volume("vol-root", 8, "eu-west-1a");
    fake.volume("vol-a", 100, "eu-west-1a");
    fake.volume("vol-b", 200, "eu-west-1a");
    fake.attach("vol-root", "i-1", "/dev/xvda");
    fake.attach("vol-a", "i-1", "/dev/sdf");
    fake.attach("vol-b", "i-1", "/dev/sdg");
    cli = Cli.withNewRepository(tmp.resolve("repo"));
    config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("app.yaml"), "x: 1\n");
  }

  @AfterEach
  void tearDown() {
    fake.close();
  }

  @Test
  void backupSnapshotsAnInstancesDevicesWithAConfigDirectoryAndRestoreVolumesAttachesThem() throws Exception {
    Cli.Result b = cli.run("backup", "--json", "--ec2-endpoint", fake.endpoint().toString(), "--ebs-instance", "i-1",
        "--ebs-device", "/dev/sdf", "--ebs-device", "/dev/sdg", "--ebs-dataset", "data", "config=" + config).ok();
    JsonNode summary = JSON.readTree(b.out());
    JsonNode data = summary.get("datasets").get(1);
    assertThat(data.get("name").asText()).isEqualTo("data");
    assertThat(data.get("external_references").get("ebs.consistency").asText()).isEqualTo("crash-consistent-multi-volume");
    assertThat(data.get("external_references").get("ebs.vol-a.device").asText()).isEqualTo("/dev/sdf");
    assertThat(fake.liveSnapshots()).hasSize(2).allSatisfy(s -> assertThat(s.tags)
        .containsEntry("holdfast:snapshot", summary.get("snapshot_id").asText()));
    assertThat(b.out() + b.err()).doesNotContain("cli-test-secret");

    Cli.Result dry = cli.run("restore-volumes", "latest", "--az", "eu-west-1b", "--dry-run",
        "--ec2-endpoint", fake.endpoint().toString()).ok();
    assertThat(dry.out()).contains("would create a 100 GiB gp3 volume in eu-west-1b from snap-", "(of vol-a at /dev/sdf)",
        "of vol-b at /dev/sdg");
    assertThat(fake.events()).doesNotContain("CreateVolume");

    Cli.Result r = cli.run("restore-volumes", "latest", "--json", "--az", "eu-west-1b", "--type", "io2", "--iops", "6000",
        "--attach", "i-2", "--tag", "purpose=dr", "--ec2-endpoint", fake.endpoint().toString()).ok();
    JsonNode restored = JSON.readTree(r.out());
    assertThat(restored.get("volumes")).hasSize(2);
    for (JsonNode v : restored.get("volumes")) {
      FakeEc2.Volume made = fake.volumes().get(v.get("new_volume").asText());
      assertThat(made.instance).isEqualTo("i-2");
      assertThat(made.attachState).isEqualTo("attached");
      assertThat(made.type).isEqualTo("io2");
      assertThat(made.iops).isEqualTo(6000);
      assertThat(made.tags).containsEntry("purpose", "dr");
      assertThat(made.device).isEqualTo(v.get("device").asText());
    }
  }

  @Test
  void forgetWithReleaseEbsDeletesOnlyTheForgottenSnapshotsEbsSnapshotsAndThenPrunes() throws Exception {
    String endpoint = fake.endpoint().toString();
    cli.run("backup", "--ec2-endpoint", endpoint, "--ebs-volume", "vol-a", "config=" + config).ok();
    String first = fake.liveSnapshots().get(0).id;
    Files.writeString(config.resolve("app.yaml"), "x: 2\n");
    cli.run("backup", "--ec2-endpoint", endpoint, "--ebs-volume", "vol-a", "config=" + config).ok();
    assertThat(fake.liveSnapshots()).hasSize(2);

    Cli.Result dry = cli.run("forget", "--keep-last", "1", "--release-ebs", "--dry-run", "--ec2-endpoint", endpoint).ok();
    assertThat(dry.out()).contains("would remove 1 snapshots");
    assertThat(fake.liveSnapshots()).hasSize(2);

    Cli.Result f = cli.run("forget", "--keep-last", "1", "--release-ebs", "--prune", "--ec2-endpoint", endpoint).ok();
    assertThat(fake.liveSnapshots()).hasSize(1).noneMatch(s -> s.id.equals(first));
    assertThat(f.out()).contains(first, "rewrote the index");
    assertThat(cli.run("check", "--read-data").exit()).isZero();
  }

  @Test
  void backupOfVolumesByIdAloneNeedsNoDirectory() {
    Cli.Result b = cli.run("backup", "--ec2-endpoint", fake.endpoint().toString(), "--ebs-volume", "vol-a").ok();
    assertThat(b.out()).contains("dataset ebs (ebs, consistency", "single-volume", "vol-a -> snap-", "saved");
  }

  @Test
  void ebsOptionsThatContradictEachOtherAreUsageErrors() {
    assertThat(cli.run("backup", "--ebs-device", "/dev/sdf", "--ebs-volume", "vol-a").err())
        .contains("--ebs-device needs --ebs-instance");
    assertThat(cli.run("backup", "--ebs-instance", "i-1", "--ebs-volume", "vol-a").err()).contains("not both");
    assertThat(cli.run("backup").err()).contains("nothing to back up");
    assertThat(cli.run("restore-volumes", "latest").err()).contains("--az");
    assertThat(fake.events()).isEmpty();
  }

  @Test
  void aFailedEbsSnapshotFailsTheBackupAndSavesNoSnapshot() {
    fake.snapshotsFail("vol-b");
    Cli.Result b = cli.run("backup", "--ec2-endpoint", fake.endpoint().toString(), "--ebs-instance", "i-1",
        "--ebs-device", "/dev/sdf", "--ebs-device", "/dev/sdg");
    assertThat(b.exit()).isEqualTo(1);
    assertThat(b.err()).contains("vol-b (/dev/sdg on i-1)", "error");
    assertThat(cli.run("snapshots", "--json").ok().out().trim()).isEqualTo("[]");
    assertThat(fake.liveSnapshots()).isEmpty();
  }
}
