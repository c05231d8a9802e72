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
import java.util.function.Consumer;

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

  /** Words of {@link #fillText}: few enough that zstd finds them again, enough to cost some bits. */
  private static final byte[][] WORDS = words(
      "the of and to in is for on that with as by at from request response user order "
      + "status error info debug warn level service host cache miss hit query table index "
      + "backup restore snapshot pack blob tree chunk repository key lock prune check "
      + "alpha beta gamma delta kernel disk network latency bytes seconds retry timeout "
      + "open close read write start stop send done");

  private static byte[][] words(String spaceSeparated) {
    String[] w = spaceSeparated.split(" ");
    byte[][] out = new byte[w.length][];
    for (int i = 0; i < w.length; i++) {
      out[i] = w[i].getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }

  /**
   * Fills {@code buf} with text-like ASCII: lines of words from a vocabulary of 64, one word in six
   * a random number below 10 000. zstd shrinks it about as it shrinks log files (level 1: ~2.8x,
   * level 3: ~3.1x), so it stands in for compressible data in tests and benchmarks.
   */
  public static void fillText(byte[] buf, Random rnd) {
    int p = 0;
    int wordsOnLine = 0;
    while (p < buf.length) {
      byte[] word;
      if (rnd.nextInt(6) == 0) {
        word = Integer.toString(rnd.nextInt(10_000)).getBytes(StandardCharsets.US_ASCII);
      } else {
        word = WORDS[rnd.nextInt(WORDS.length)];
      }
      int n = Math.min(word.length, buf.length - p);
      System.arraycopy(word, 0, buf, p, n);
      p += n;
      if (p < buf.length) {
        buf[p++] = (byte) (++wordsOnLine == 12 ? '\n' : ' ');
        wordsOnLine %= 12;
      }
    }
  }

  /** Writes {@code size} bytes of {@link #fillText text-like} data. */
  public static void text(Path file, long size, Random rnd) throws IOException {
    write(file, size, buf -> fillText(buf, rnd));
  }

  /** Writes {@code size} pseudo-random bytes. */
  public static void random(Path file, long size, Random rnd) throws IOException {
    write(file, size, rnd::nextBytes);
  }

  /** Writes {@code size} bytes, refilling one buffer with {@code fill} for each block. */
  private static void write(Path file, long size, Consumer<byte[]> fill) throws IOException {
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        fill.accept(buf);
        int n = (int) Math.min(buf.length, left);
        out.write(buf, 0, n);
        left -= n;
      }
    }
  }
}
