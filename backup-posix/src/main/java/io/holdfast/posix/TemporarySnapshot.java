package io.holdfast.posix;

import io.holdfast.spi.Snapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/** A snapshot whose first close runs its {@link Cleanup}; later closes do nothing. Thread-safe. */
final class TemporarySnapshot implements Snapshot {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final Path root;
  private final Cleanup cleanup;
  private final AtomicBoolean closed = new AtomicBoolean();

  TemporarySnapshot(Path root, Cleanup cleanup) {
    this.root = root;
    this.cleanup = cleanup;
  }

  /**
   * A name no other snapshot of this or another process uses ({@code holdfast-snap-<utc>-<random>}),
   * valid for btrfs, LVM and ZFS alike; the time in it shows how old a leftover is.
   */
  static String newName() {
    return "holdfast-snap-" + STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public void close() throws IOException {
    if (closed.compareAndSet(false, true)) {
      cleanup.run();
    }
  }

  @Override
  public String toString() {
    return "snapshot at " + root;
  }
}
