package io.holdfast.internal.archiver;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one archive run (or one dataset of it). Thread-safe; read them after the run. */
public final class BackupStats {
  final AtomicLong filesNew = new AtomicLong();
  final AtomicLong filesChanged = new AtomicLong();
  final AtomicLong filesUnmodified = new AtomicLong();
  final AtomicLong dirs = new AtomicLong();
  final AtomicLong others = new AtomicLong();
  final AtomicLong bytesRead = new AtomicLong();
  final AtomicLong bytesTotal = new AtomicLong();
  final AtomicLong blobsAdded = new AtomicLong();
  final AtomicLong bytesAdded = new AtomicLong();
  final ConcurrentLinkedQueue<String> warnings = new ConcurrentLinkedQueue<>();

  /** Files not in the parent snapshot. */
  public long filesNew() {
    return filesNew.get();
  }

  /** Files in the parent snapshot whose metadata changed, so they were read again. */
  public long filesChanged() {
    return filesChanged.get();
  }

  /** Files whose size, mtime, ctime and inode matched the parent: reused without reading. */
  public long filesUnmodified() {
    return filesUnmodified.get();
  }

  public long dirs() {
    return dirs.get();
  }

  /** Symlinks, fifos, devices, sockets. */
  public long others() {
    return others.get();
  }

  /** Bytes actually read from the source. */
  public long bytesRead() {
    return bytesRead.get();
  }

  /** Total size of the files in the snapshot, read or reused. */
  public long bytesTotal() {
    return bytesTotal.get();
  }

  /** New data blobs stored. */
  public long blobsAdded() {
    return blobsAdded.get();
  }

  /** Plaintext bytes of the new data blobs. */
  public long bytesAdded() {
    return bytesAdded.get();
  }

  /** Entries that could not be read and were left out, each naming the path and the cause. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  @Override
  public String toString() {
    return "files new " + filesNew + ", changed " + filesChanged + ", unmodified " + filesUnmodified
        + ", dirs " + dirs + ", read " + bytesRead + " B, added " + bytesAdded + " B in " + blobsAdded + " blobs";
  }
}
