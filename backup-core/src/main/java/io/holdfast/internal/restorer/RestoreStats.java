package io.holdfast.internal.restorer;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one restore. Thread-safe; read them after the restore. */
public final class RestoreStats {
  final AtomicLong files = new AtomicLong();
  final AtomicLong dirs = new AtomicLong();
  final AtomicLong others = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final ConcurrentLinkedQueue<String> skipped = new ConcurrentLinkedQueue<>();

  public long files() {
    return files.get();
  }

  public long dirs() {
    return dirs.get();
  }

  /** Symlinks, fifos and devices restored. */
  public long others() {
    return others.get();
  }

  public long bytes() {
    return bytes.get();
  }

  /** What was not restored (or not fully: ownership, times), each with the reason. */
  public List<String> skipped() {
    return List.copyOf(skipped);
  }

  @Override
  public String toString() {
    return files + " files, " + dirs + " dirs, " + others + " others, " + bytes + " bytes, "
        + skipped.size() + " skipped";
  }
}
