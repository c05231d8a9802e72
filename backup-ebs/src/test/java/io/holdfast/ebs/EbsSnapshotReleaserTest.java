package io.holdfast.ebs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EbsSnapshotReleaserTest {
  Ec2Fixture f;
  EbsSnapshotReleaser releaser;

  @BeforeEach
  void setUp() {
    f = new Ec2Fixture();
    releaser = new EbsSnapshotReleaser(f.ec2);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void ownsOnlyTheSnapshotEntries() {
    assertThat(releaser.owns("ebs.vol-0abc.snapshot", "snap-1")).isTrue();
    assertThat(releaser.owns("ebs.vol-0abc.device", "/dev/sdf")).isFalse();
    assertThat(releaser.owns("ebs.vol-0abc.size_gib", "100")).isFalse();
    assertThat(releaser.owns("ebs.consistency", "gate-per-volume")).isFalse();
    assertThat(releaser.owns("s3.bucket.version", "snap-1")).isFalse();
    assertThat(releaser.owns("ebs.vol-0abc.snapshot", "ami-1")).isFalse();
  }

  @Test
  void releaseDeletesTheEbsSnapshot() throws IOException {
    f.fake.completedSnapshot("snap-1", "vol-a", 10);
    releaser.release("ebs.vol-a.snapshot", "snap-1");
    assertThat(f.fake.snapshots().get("snap-1").deleted).isTrue();
  }

  @Test
  void aSnapshotAlreadyGoneCountsAsReleased() throws IOException {
    releaser.release("ebs.vol-a.snapshot", "snap-gone");
    assertThat(f.fake.events()).containsExactly("DeleteSnapshot");
  }

  @Test
  void aRefusedDeleteIsThrownAndLeavesTheSnapshot() {
    f.fake.completedSnapshot("snap-1", "vol-a", 10);
    f.fake.fail("DeleteSnapshot", 403, "UnauthorizedOperation", 1);
    assertThatThrownBy(() -> releaser.release("ebs.vol-a.snapshot", "snap-1"))
        .isInstanceOf(AccessDeniedException.class).hasMessageContaining("snap-1").hasMessageContaining("UnauthorizedOperation");
    assertThat(f.fake.snapshots().get("snap-1").deleted).isFalse();
  }

  @Test
  void aThrottledDeleteIsRetried() throws IOException {
    f.fake.completedSnapshot("snap-1", "vol-a", 10);
    f.fake.fail("DeleteSnapshot", 503, "RequestLimitExceeded", 3);
    releaser.release("ebs.vol-a.snapshot", "snap-1");
    assertThat(f.fake.events()).hasSize(4);
    assertThat(f.fake.snapshots().get("snap-1").deleted).isTrue();
  }
}
