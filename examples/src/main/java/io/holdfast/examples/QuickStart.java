package io.holdfast.examples;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.restorer.RestoreStats;
import io.holdfast.internal.restorer.Restorer;
import io.holdfast.posix.LocalBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The quick start: makes a small application data directory, backs it up into a new local
 * repository, changes a file, backs up again (only the change is read), restores the latest
 * snapshot into a fresh directory and checks that every file matches.
 *
 * <p>Usage: {@code java -jar examples/target/holdfast-quickstart.jar [WORKDIR]}. The repository it
 * writes is a restic repository: {@code restic -r WORKDIR/repo snapshots} (password "quickstart")
 * lists the same snapshots.
 */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("holdfast-quickstart");
    Path data = work.resolve("app-data");
    Path repoDir = work.resolve("repo");
    Path restored = work.resolve("restored");
    if (Files.exists(repoDir) || Files.exists(restored)) {
      System.err.println(work + " already holds a quick-start run; give an empty or new directory");
      System.exit(2);
    }
    writeAppData(data);
    char[] password = "quickstart".toCharArray();
    int cores = Runtime.getRuntime().availableProcessors();

    try (Repository repo = Repository.init(new LocalBlobStore(repoDir), password, ScryptParams.DEFAULT,
        RepositoryOptions.defaults(), Clock.systemDefaultZone())) {
      System.out.println("repository   " + repoDir + " (restic format v" + repo.version() + ")");
      Id first;
      Id second;
      try (RepositoryLock lock = RepositoryLock.acquire(repo, false); Archiver archiver = new Archiver(repo, cores)) {
        BackupStats s1 = new BackupStats();
        long t0 = System.nanoTime();
        first = archiver.backup(List.of(new Archiver.Source("app-data", data)), null, List.of("quickstart"), s1);
        System.out.printf("backup 1     %s  %s  (%d ms)%n", first.shortHex(), s1, (System.nanoTime() - t0) / 1_000_000);

        Files.writeString(data.resolve("config/app.yml"), "port: 8081\nworkers: 8\n");
        BackupStats s2 = new BackupStats();
        t0 = System.nanoTime();
        second = archiver.backup(List.of(new Archiver.Source("app-data", data)), repo.loadSnapshot(first),
            List.of("quickstart"), s2);
        System.out.printf("backup 2     %s  %s  (%d ms)%n", second.shortHex(), s2, (System.nanoTime() - t0) / 1_000_000);
      }
      try (Restorer restorer = new Restorer(repo, cores)) {
        long t0 = System.nanoTime();
        RestoreStats rs = restorer.restore(repo.loadSnapshot(second), "app-data", restored);
        System.out.printf("restore      %s  (%d ms)%n", rs, (System.nanoTime() - t0) / 1_000_000);
      }
    }
    Map<String, String> want = hashes(data);
    Map<String, String> got = hashes(restored);
    boolean same = want.equals(got);
    System.out.println("verdict      " + (same ? "OK: " + got.size() + " files restored identical to the source"
        : "MISMATCH: restored tree differs from the source"));
    System.exit(same ? 0 : 1);
  }

  private static void writeAppData(Path data) throws IOException {
    Files.createDirectories(data.resolve("config"));
    Files.createDirectories(data.resolve("blobs"));
    Files.writeString(data.resolve("config/app.yml"), "port: 8080\nworkers: 4\n");
    Random rnd = new Random(42);
    StringBuilder index = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      byte[] blob = new byte[4096 + rnd.nextInt(64 << 10)];
      rnd.nextBytes(blob);
      String name = String.format("blob-%04d.bin", i);
      Files.write(data.resolve("blobs").resolve(name), blob);
      index.append(name).append(' ').append(blob.length).append('\n');
    }
    byte[] big = new byte[24 << 20];
    rnd.nextBytes(big);
    Files.write(data.resolve("blobs/large.bin"), big);
    Files.writeString(data.resolve("index.db"), index.toString(), StandardCharsets.UTF_8);
  }

  private static Map<String, String> hashes(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
          md.update(in.readAllBytes());
        }
        out.put(root.relativize(p).toString(), HexFormat.of().formatHex(md.digest()));
      }
    }
    return out;
  }
}
