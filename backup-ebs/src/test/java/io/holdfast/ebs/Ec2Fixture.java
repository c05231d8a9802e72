package io.holdfast.ebs;

import io.holdfast.Repository;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.posix.LocalBlobStore;
import io.holdfast.spi.ConsistencyGate;
import io.holdfast.testkit.FakeEc2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A fake EC2 endpoint, the real SDK client talking to it (static credentials, the production
 * retry strategy without its waits), a clock that only the sleeper moves, and a fast repository.
 */
final class Ec2Fixture implements AutoCloseable {
  static final String PASSWORD = "ebs-test-password";

  final FakeEc2 fake = FakeEc2.start();
  final Ec2Client ec2 = Ec2Clients.builder(Ec2Clients.retryStrategy(BackoffStrategy.retryImmediately(),
          BackoffStrategy.retryImmediately()))
      .endpointOverride(fake.endpoint()).region(Region.EU_WEST_1)
      .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAKE", "fake-secret")))
      .build();
  final FakeTime time = new FakeTime();

  /** A clock that stands still until {@link #sleep} moves it. */
  static final class FakeTime extends Clock implements Polling.Sleeper {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    int sleeps;

    @Override
    public synchronized Instant instant() {
      return now;
    }

    @Override
    public synchronized void sleep(Duration d) {
      now = now.plus(d);
      sleeps++;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  EbsSnapshotProvider.Builder provider() {
    return EbsSnapshotProvider.builder(ec2).polling(time, time);
  }

  EbsVolumeRestore.Builder restore() {
    return EbsVolumeRestore.builder(ec2).polling(time, time);
  }

  /** A gate that writes its acquire and release into the fake's event list. */
  ConsistencyGate markingGate() {
    return new ConsistencyGate() {
      @Override
      public String name() {
        return "marking";
      }

      @Override
      public Hold acquire(Duration timeout) {
        fake.mark("acquire");
        return () -> fake.mark("release");
      }
    };
  }

  /** A new repository in {@code dir} with a fast key derivation. */
  static Repository repository(Path dir) {
    try {
      LocalBlobStore store = new LocalBlobStore(dir);
      io.holdfast.internal.repo.Repository.init(store, PASSWORD.toCharArray(), new ScryptParams(1024, 8, 1),
          RepositoryOptions.defaults(), Clock.systemUTC()).close();
      return Repository.on(store, PASSWORD::toCharArray);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** i-1 in eu-west-1a: root vol-root at /dev/xvda, vol-a at /dev/sdf, vol-b at /dev/sdg, vol-c at /dev/sdh. */
  void instanceWithThreeDataVolumes() {
    fake.instance("i-1", "eu-west-1a", "/dev/xvda");
    fake.volume("vol-root", 8, "eu-west-1a");
    fake.volume("vol-a", 100, "eu-west-1a").iops = 4000;
    fake.volume("vol-b", 200, "eu-west-1a");
    fake.volume("vol-c", 50, "eu-west-1a");
    fake.attach("vol-root", "i-1", "/dev/xvda");
    fake.attach("vol-a", "i-1", "/dev/sdf");
    fake.attach("vol-b", "i-1", "/dev/sdg");
    fake.attach("vol-c", "i-1", "/dev/sdh");
  }

  /** vol-x on i-1 at /dev/sdf, vol-y on i-2 at /dev/sdf, vol-z detached. */
  void volumesOnTwoInstances() {
    fake.instance("i-1", "eu-west-1a", "/dev/xvda");
    fake.instance("i-2", "eu-west-1a", "/dev/xvda");
    fake.volume("vol-x", 10, "eu-west-1a");
    fake.volume("vol-y", 20, "eu-west-1a");
    fake.volume("vol-z", 30, "eu-west-1a");
    fake.attach("vol-x", "i-1", "/dev/sdf");
    fake.attach("vol-y", "i-2", "/dev/sdf");
  }

  @Override
  public void close() {
    ec2.close();
    fake.close();
  }
}
