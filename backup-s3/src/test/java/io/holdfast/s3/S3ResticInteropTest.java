package io.holdfast.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.Repository;
import io.holdfast.RestorePlan;
import io.holdfast.RestoreReport;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.posix.DirectoryDataset;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.ResticCli;
import io.holdfast.testkit.SampleTrees;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Holdfast and the real restic share repositories on an S3 server (S3Proxy in a process of its
 * own on 127.0.0.1), both ways, named by the same {@code s3:http://...} string.
 */
class S3ResticInteropTest {
  static final String PASSWORD = "s3-interop-pass";
  static S3ProxyProcess server;

  @TempDir Path tmp;

  @BeforeAll
  static void startServer() throws Exception {
    ResticCli.require();
    server = S3ProxyProcess.start(null);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private String url(String bucket) {
    return "s3:" + server.endpoint() + "/" + bucket;
  }

  private ResticCli restic(String bucket) {
    return new ResticCli(url(bucket), PASSWORD, S3ProxyProcess.resticEnvironment());
  }

  @Test
  void holdfastWritesToS3AndResticChecksAndRestoresIdentically() throws Exception {
    Path src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 6, 3);
    try (S3BlobStore store = server.store("holdfast-writes").build()) {
      try (S3Client admin = adminClient()) {
        admin.createBucket(b -> b.bucket("holdfast-writes"));
      }
      Repository repo = Repository.on(store, PASSWORD::toCharArray).createIfMissing();
      BackupReport report = BackupEngine.run(BackupPlan.builder("s3-interop")
          .dataset(DirectoryDataset.live("data", src)).repository(repo).build());
      assertThat(report.succeeded()).as(String.valueOf(report.failure())).isTrue();
    }

    ResticCli restic = restic("holdfast-writes");
    restic.ok("check", "--read-data");
    assertThat(restic.ok("snapshots", "--json").stdout()).contains("\"plan:s3-interop\"");
    Path out = tmp.resolve("restic-out");
    restic.ok("restore", "latest", "--target", out.toString());
    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
  }

  @Test
  void resticWritesToS3AndHoldfastRestoresIdentically() throws Exception {
    Path src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 6, 4);
    ResticCli restic = restic("restic-writes");
    restic.ok("init");
    restic.ok("backup", src.toString(), "--tag", "from-restic");

    Path out = tmp.resolve("holdfast-out");
    try (S3BlobStore store = server.store("restic-writes").build();
        io.holdfast.internal.repo.Repository repo = io.holdfast.internal.repo.Repository.open(store,
            PASSWORD.toCharArray(), RepositoryOptions.defaults(), Clock.systemUTC());
        Restorer restorer = new Restorer(repo, 2)) {
      List<io.holdfast.internal.repo.Repository.Snapshot> snapshots = repo.snapshots();
      assertThat(snapshots).hasSize(1);
      assertThat(snapshots.get(0).file().tags()).containsExactly("from-restic");
      restorer.restore(snapshots.get(0), src.toString(), out);
    }
    assertThat(DirectoryListing.of(out)).isEqualTo(DirectoryListing.of(src));
  }

  @Test
  void aHoldfastBackupOnResticsS3RepositoryRestoresThroughTheEngine() throws Exception {
    Path src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 3, 5);
    restic("shared").ok("init");
    try (S3BlobStore store = server.store("shared").build()) {
      Repository repo = Repository.on(store, PASSWORD::toCharArray);
      BackupEngine.run(BackupPlan.builder("shared").dataset(DirectoryDataset.live("files", src))
          .repository(repo).build()).orThrow();
      RestoreReport restored = BackupEngine.run(RestorePlan.builder(repo).targetRoot(tmp.resolve("out")).build());
      assertThat(restored.succeeded()).as(String.valueOf(restored.failure())).isTrue();
    }
    assertThat(DirectoryListing.of(tmp.resolve("out/files"))).isEqualTo(DirectoryListing.of(src));
    restic("shared").ok("check", "--read-data");
  }

  private static S3Client adminClient() {
    return S3Client.builder().endpointOverride(server.endpoint())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
        .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder())
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY)))
        .build();
  }
}
