package io.holdfast.internal.restorer;

import io.holdfast.IntegrityException;
import io.holdfast.internal.repo.Node;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A regular file being restored: its blobs arrive in any order (pack order, from several threads)
 * and are written at their offsets. The first open creates it (never opens an existing entry),
 * later opens reopen it without following links. Thread-safe.
 */
final class FileSink {
  final Node node;
  final Path path;
  final boolean modeAtCreate;
  private final FileAttribute<?>[] attrs;
  private final AtomicInteger pending;
  private final AtomicLong written = new AtomicLong();
  private boolean created;

  FileSink(Node node, Path path, FileAttribute<?>[] attrs, boolean modeAtCreate, int blobs) {
    this.node = node;
    this.path = path;
    this.attrs = attrs;
    this.modeAtCreate = modeAtCreate;
    this.pending = new AtomicInteger(blobs);
  }

  /** Opens the file for writing; the caller closes the channel. */
  synchronized FileChannel open() throws IOException {
    if (!created) {
      FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS), attrs);
      created = true;
      return ch;
    }
    return FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  /** Writes one blob's plaintext at {@code offset} (positional: safe alongside other writers). */
  void write(FileChannel ch, byte[] data, long offset) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(data);
    long pos = offset;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
    written.addAndGet(data.length);
  }

  /** Records that {@code blobs} more uses are written and closed; true when that was the last. */
  boolean done(int blobs) {
    return pending.addAndGet(-blobs) == 0;
  }

  /** The bytes written, checked against the size the snapshot records. */
  long checkSize() {
    long n = written.get();
    if (n != node.sizeOrZero()) {
      throw new IntegrityException(path + ": restored " + n + " bytes but the snapshot records "
          + node.sizeOrZero());
    }
    return n;
  }
}
