package io.holdfast.internal.fs;

import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.PackedBlob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A read-only channel over one file of a snapshot. The file's content blob list and the blobs'
 * lengths (from the index) place every offset in one blob, so a read at any position fetches only
 * the blobs it covers; a read that continues where the last one ended also asks for the next few
 * blobs ahead of need. Thread-safe: reads and seeks on one channel are serialised.
 */
final class BlobChannel implements SeekableByteChannel {
  private final SnapshotFileSystem fs;
  private final Path path;
  private final PackedBlob[] blobs;
  /** starts[i] is the offset of blob i in the file; starts[blobs.length] is the file's size. */
  private final long[] starts;
  private long position;
  /** Where the last read ended: a read starting there is sequential and reads ahead. */
  private long lastEnd;
  private boolean open = true;

  BlobChannel(SnapshotFileSystem fs, Path path, Node file) throws IOException {
    this.fs = fs;
    this.path = path;
    List<String> content = file.contentOrEmpty();
    this.blobs = new PackedBlob[content.size()];
    this.starts = new long[content.size() + 1];
    for (int i = 0; i < blobs.length; i++) {
      blobs[i] = fs.where(content.get(i), path);
      starts[i + 1] = starts[i] + blobs[i].plaintextLength();
    }
    if (starts[blobs.length] != file.sizeOrZero()) {
      throw new IOException("cannot read " + path + ": its tree gives it " + file.sizeOrZero()
          + " bytes but its " + blobs.length + " content blobs hold " + starts[blobs.length] + " (damaged)");
    }
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    checkOpen();
    long size = starts[blobs.length];
    if (position >= size) {
      return -1;
    }
    if (position == lastEnd) {
      int next = blobAt(position) + 1;
      for (int i = next; i < Math.min(blobs.length, next + SnapshotFileSystem.READ_AHEAD); i++) {
        fs.prefetch(blobs[i]);
      }
    }
    int total = 0;
    while (dst.hasRemaining() && position < size) {
      int i = blobAt(position);
      byte[] data = fs.blob(blobs[i], path);
      int off = (int) (position - starts[i]);
      int n = Math.min(dst.remaining(), data.length - off);
      dst.put(data, off, n);
      position += n;
      total += n;
    }
    lastEnd = position;
    return total;
  }

  /** The blob holding byte {@code pos} (an empty blob never does). */
  private int blobAt(long pos) {
    int i = Arrays.binarySearch(starts, pos);
    if (i < 0) {
      return -i - 2;
    }
    while (i + 1 < blobs.length && starts[i + 1] == pos) {
      i++; // skip empty blobs starting here
    }
    return i;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public synchronized long position() throws IOException {
    checkOpen();
    return position;
  }

  @Override
  public synchronized SeekableByteChannel position(long newPosition) throws IOException {
    checkOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    checkOpen();
    return starts[blobs.length];
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public synchronized boolean isOpen() {
    return open && fs.isOpen();
  }

  @Override
  public synchronized void close() {
    open = false;
  }

  private void checkOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
    fs.checkOpen();
  }
}
