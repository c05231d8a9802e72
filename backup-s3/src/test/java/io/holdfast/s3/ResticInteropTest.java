package io.holdfast.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.s3.internal.KeyNames;
import io.holdfast.testkit.ResticCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class ResticInteropTest {
  @RegisterExtension
  final S3ProxyExtension proxy = S3Fixture.proxy();

  @TempDir
  Path tmp;

  @Test
  void aBucketSnapshotPassesResticCheckAndRestoresAsFiles() throws Exception {
    ResticCli.require();
    Path repoDir = S3Fixture.initRepo(tmp.resolve("repo"));
    byte[] large = new byte[3 * 1024 * 1024]; // several chunks
    new Random(5).nextBytes(large);
    Map<String, String> small = Map.of("docs/a.txt", "alpha", "docs/deep/b.txt", "beta", "100% done.txt", "done",
        "space name", "spaced");
    try (S3Client s3 = S3Fixture.client(proxy.getUri())) {
      S3Fixture.bucket(s3, "media", true);
      small.forEach((k, v) -> S3Fixture.put(s3, "media", k, v));
      s3.putObject(b -> b.bucket("media").key("large.bin").contentType("application/octet-stream"),
          RequestBody.fromBytes(large));
      BackupEngine.run(BackupPlan.builder("media")
          .dataset(S3BucketDataset.builder("blobs", s3, "media").stagingDirectory(tmp).build())
          .repository(S3Fixture.repo(repoDir)).build()).orThrow();
    }
    ResticCli restic = new ResticCli(repoDir, S3Fixture.PASSWORD);
    restic.ok("check", "--read-data");
    Path out = tmp.resolve("out");
    restic.ok("restore", "latest", "--target", out.toString());
    // file names are the keys, escaped where a key could not be a name ('%' is written %25)
    small.forEach((k, v) -> assertThat(out.resolve("blobs").resolve(String.join("/", KeyNames.names(k)))).hasContent(v));
    assertThat(out.resolve("blobs/100%25 done.txt")).hasContent("done");
    assertThat(Files.readAllBytes(out.resolve("blobs/large.bin"))).isEqualTo(large);
    assertThat(Files.readAllLines(out.resolve("blobs/.holdfast-s3/metadata.jsonl")))
        .hasSize(1 + small.size() + 1)
        .anySatisfy(l -> assertThat(l).contains("\"key\":\"large.bin\"", "\"content_type\":\"application/octet-stream\""));
  }
}
