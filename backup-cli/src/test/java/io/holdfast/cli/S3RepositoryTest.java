package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.s3.S3BlobStore;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.SampleTrees;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -r s3:http://...}: the commands on a repository in an S3 bucket (S3Proxy in this JVM). */
class S3RepositoryTest {
  static final String ACCESS_KEY = "cli-access-key";
  static final String SECRET_KEY = "cli-secret-key-never-printed";
  static S3Proxy proxy;

  @TempDir Path tmp;

  @BeforeAll
  static void startServer() throws Exception {
    proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .endpoint(URI.create("http://127.0.0.1:0")).build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.sleep(5);
    }
  }

  @AfterAll
  static void stopServer() throws Exception {
    proxy.stop();
  }

  private static Cli cli(String bucketAndPrefix) {
    Cli cli = new Cli();
    cli.env.put(HoldfastCommand.REPOSITORY_ENV, "s3:http://127.0.0.1:" + proxy.getPort() + "/" + bucketAndPrefix);
    cli.env.put(PasswordSource.HOLDFAST_PASSWORD, Cli.PASSWORD);
    cli.env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    cli.env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    return cli;
  }

  @Test
  void initBackupSnapshotsRestoreAndCheckWorkOnAnS3Repository() throws Exception {
    Path src = tmp.resolve("src");
    SampleTrees.writeAwkward(src, 2, 8);
    Cli cli = cli("cli-bucket/hosts/one");

    Cli.Result made = cli.run("init").ok();
    assertThat(made.out()).contains("created holdfast repository", "s3:http://127.0.0.1:");
    Cli.Result again = cli.run("init");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("a repository already exists at s3:http://");

    assertThat(cli.run("backup", "files=" + src).ok().out()).containsPattern("snapshot [0-9a-f]{8} saved");
    assertThat(cli.run("snapshots").ok().out()).contains("1 snapshot");
    Path out = tmp.resolve("out");
    cli.run("restore", "latest", "--target", out.toString()).ok();
    assertThat(DirectoryListing.of(out.resolve("files"))).isEqualTo(DirectoryListing.of(src));
    Cli.Result check = cli.run("check").ok();
    assertThat(made.out() + made.err() + check.out() + check.err()).doesNotContain(SECRET_KEY, ACCESS_KEY);
  }

  @Test
  void theCommandMakesOneS3StoreHowEverOftenItIsAskedAndClosesItOnce() throws Exception {
    Map<String, String> env = new HashMap<>(cli("one-store-bucket").env);
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    HoldfastCommand root = new HoldfastCommand(env, sink, sink, Terminal.none());
    S3BlobStore first = root.s3Store();
    assertThat(root.s3Store()).isSameAs(first);
    root.close();
    assertThatThrownBy(() -> first.stat("config")).as("closed with the command")
        .isInstanceOf(IllegalStateException.class);
    root.close();
    assertThatThrownBy(root::s3Store).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aBucketWithoutARepositoryIsNoRepository() {
    Cli cli = cli("empty-bucket");
    cli.run("init").ok(); // creates the bucket and a repository at its top
    Cli other = cli("empty-bucket/elsewhere");

    Cli.Result r = other.run("snapshots");

    assertThat(r.exit()).isEqualTo(ExitCode.NO_REPOSITORY.code);
    assertThat(r.err()).contains("no repository at s3:http://127.0.0.1:" + proxy.getPort() + "/empty-bucket/elsewhere");
  }

  @Test
  void wrongCredentialsFailWithoutPrintingThem() {
    cli("denied-bucket").run("init").ok();
    Cli cli = cli("denied-bucket");
    cli.env.put("AWS_SECRET_ACCESS_KEY", "wrong-secret-for-this-test");

    Cli.Result r = cli.run("snapshots");

    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("denied").doesNotContain("wrong-secret-for-this-test");
  }
}
