package io.holdfast.s3;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.Repository;
import io.holdfast.RestorePlan;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.posix.DirectoryDataset;
import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.ResticCli;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * On-demand benchmark, not a test: backup and restore of a dataset (made by {@code
 * shared/bench/gen.py}) to S3Proxy in a separate process, Holdfast and restic alternating on the
 * same server, and Holdfast's S3 requests per GiB. Prints figures; asserts nothing but that each
 * restore is identical. Usage: {@code S3Bench DATASET WORKDIR [ROUNDS]}, on the test class path
 * with jackson-annotations 2.22 in place of 2.19.2 (as surefire does for S3Proxy):
 *
 * <pre>
 * mvn -o -q -pl backup-s3 -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/s3bench/cp.txt -Dmdep.includeScope=test
 * python3 ../shared/bench/gen.py gen /tmp/s3bench/ref-small --scale 0.1
 * CP="backup-s3/target/test-classes:backup-s3/target/classes:$(sed \
 *     's#jackson-annotations/2.19.2/jackson-annotations-2.19.2.jar#jackson-annotations/2.22/jackson-annotations-2.22.jar#' \
 *     /tmp/s3bench/cp.txt)"
 * java -Xmx2g -cp "$CP" io.holdfast.s3.S3Bench /tmp/s3bench/ref-small /tmp/s3bench/work 3
 * </pre>
 */
public final class S3Bench {
  private static final String PASSWORD = "bench-pass";

  private S3Bench() {}

  public static void main(String[] args) throws Exception {
    Path dataset = Path.of(args[0]);
    Path work = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    long bytes = size(dataset);
    double gib = bytes / (double) (1L << 30);
    System.out.printf("dataset %s: %.1f MiB%n", dataset, bytes / (double) (1 << 20));
    try (S3ProxyProcess server = S3ProxyProcess.start(work.resolve("s3proxy-data"), "-Xmx2g")) {
      RequestCounter requests = new RequestCounter();
      try (S3Client client = client(server, requests)) {
        for (int round = 1; round <= rounds; round++) {
          String hb = "holdfast-" + round;
          String rb = "restic-" + round;
          // ---- Holdfast
          client.createBucket(b -> b.bucket(hb));
          try (S3BlobStore store = S3BlobStore.builder().client(client).bucket(hb).build()) {
            io.holdfast.internal.repo.Repository.init(store, PASSWORD.toCharArray(), ScryptParams.DEFAULT,
                RepositoryOptions.defaults(), Clock.systemUTC()).close();
            Repository repo = Repository.on(store, PASSWORD::toCharArray);
            warm(dataset);
            requests.reset();
            long t0 = System.nanoTime();
            BackupEngine.run(BackupPlan.builder("bench").dataset(DirectoryDataset.live("data", dataset))
                .repository(repo).build()).orThrow();
            double backup = seconds(t0);
            Map<String, Long> backupRequests = requests.snapshot();
            long backupTotal = requests.total();
            long stored = store.list("").stream().mapToLong(io.holdfast.storage.BlobInfo::size).sum();
            Path out = work.resolve("holdfast-restore-" + round);
            requests.reset();
            t0 = System.nanoTime();
            var restored = BackupEngine.run(RestorePlan.builder(repo).targetRoot(out).build());
            double restore = seconds(t0);
            if (!restored.succeeded()) {
              throw new IllegalStateException("restore failed: " + restored.failure());
            }
            long restoreTotal = requests.total();
            same(dataset, out.resolve("data"));
            System.out.printf("round %d holdfast: backup %.2f s (%.1f MiB/s), restore %.2f s (%.1f MiB/s), "
                    + "stored %.1f MiB%n", round, backup, bytes / backup / (1 << 20), restore,
                bytes / restore / (1 << 20), stored / (double) (1 << 20));
            System.out.printf("round %d holdfast: S3 requests backup %d (%.0f per GiB) %s; restore %d (%.0f per GiB) %s%n",
                round, backupTotal, backupTotal / gib, backupRequests, restoreTotal, restoreTotal / gib,
                requests.snapshot());
            delete(out);
          }
          // ---- restic
          ResticCli restic = new ResticCli("s3:" + server.endpoint() + "/" + rb, PASSWORD,
              S3ProxyProcess.resticEnvironment());
          restic.ok("init");
          warm(dataset);
          long t0 = System.nanoTime();
          restic.ok("backup", dataset.toString());
          double backup = seconds(t0);
          Path out = work.resolve("restic-restore-" + round);
          t0 = System.nanoTime();
          restic.ok("restore", "latest", "--target", out.toString());
          double restore = seconds(t0);
          same(dataset, out.resolve(dataset.toAbsolutePath().toString().substring(1)));
          System.out.printf("round %d restic:   backup %.2f s (%.1f MiB/s), restore %.2f s (%.1f MiB/s)%n",
              round, backup, bytes / backup / (1 << 20), restore, bytes / restore / (1 << 20));
          delete(out);
        }
      }
    }
  }

  private static S3Client client(S3ProxyProcess server, RequestCounter counter) {
    return S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16))
        .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY)))
        .build();
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static void same(Path expected, Path actual) throws IOException {
    if (!DirectoryListing.of(actual).equals(DirectoryListing.of(expected))) {
      throw new IllegalStateException("restore of " + expected + " into " + actual + " differs");
    }
  }

  /** Reads every file once, so the timed run starts with a warm page cache (as restic's figures do). */
  private static void warm(Path dir) throws IOException {
    byte[] buffer = new byte[1 << 20];
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        try (InputStream in = Files.newInputStream(p)) {
          while (in.read(buffer) >= 0) {
            // read
          }
        }
      }
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        p.toFile().setWritable(true);
        Files.delete(p);
      }
    }
  }
}
