package io.holdfast.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;

/** Deterministic directory trees for backup and restore tests: the awkward cases all in one place. */
public final class SampleTrees {
  private SampleTrees() {}

  /**
   * Writes a tree with: nested directories, an empty directory, an empty file, small text files,
   * a file of several chunks (random, ~{@code bigMiB} MiB), a compressible file, odd Unicode and
   * shell-hostile names, a symlink to a file, a dangling symlink, a symlink to a directory, unusual
   * modes (0600, 0755, 0444), and fixed old mtimes with sub-second parts.
   */
  public static void writeAwkward(Path root, int bigMiB, long seed) throws IOException {
    Random rnd = new Random(seed);
    Files.createDirectories(root);
    Path docs = Files.createDirectories(root.resolve("docs/deep/deeper"));
    Files.createDirectories(root.resolve("empty-dir"));
    Files.createFile(root.resolve("empty-file"));
    Files.writeString(root.resolve("docs/readme.txt"), "hello holdfast\n");
    Files.writeString(docs.resolve("notes.md"), "# notes\n".repeat(100));
    for (String odd : new String[] {"ünïcødé-名前-🙂.txt", "with space and 'quotes'", "-dash", "semi;colon&amp",
        "tab\there", "new\nline"}) {
      Files.writeString(root.resolve(odd), "odd name " + odd);
    }
    random(root.resolve("docs/big.bin"), (long) bigMiB << 20, rnd);
    try (OutputStream out = Files.newOutputStream(root.resolve("docs/compressible.log"))) {
      for (int i = 0; i < 40_000; i++) {
        out.write(("line " + i + " level=info msg=\"request served\" status=200\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    Path exe = root.resolve("run.sh");
    Files.writeString(exe, "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path secret = root.resolve("secret.key");
    Files.writeString(secret, "not really");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Path ro = root.resolve("docs/read-only.txt");
    Files.writeString(ro, "read only");
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r--r--"));
    Files.createSymbolicLink(root.resolve("link-to-readme"), Path.of("docs/readme.txt"));
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nonexistent/target"));
    Files.createSymbolicLink(root.resolve("link-to-dir"), Path.of("docs"));
    // Fixed times, set deepest first so that setting a file's time does not disturb its directory's.
    try (var walk = Files.walk(root)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
        if (!Files.isSymbolicLink(p)) {
          try {
            Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2021-03-04T05:06:07.123456Z")
                .plusSeconds(p.getNameCount())));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      });
    }
  }

  /**
   * Makes a named pipe at {@code path} with {@code mkfifo}; returns false (and makes nothing) where
   * the platform has no mkfifo.
   */
  public static boolean fifo(Path path) throws IOException {
    try {
      Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Writes {@code size} pseudo-random bytes. */
  public static void random(Path file, long size, Random rnd) throws IOException {
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        rnd.nextBytes(buf);
        int n = (int) Math.min(buf.length, left);
        out.write(buf, 0, n);
        left -= n;
      }
    }
  }
}
