package io.holdfast.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only channel over one object version: a ranged GET from the current position, opened when
 * first read and again after a seek. Never holds more than the caller's buffer. Not thread-safe.
 */
final class ObjectChannel implements SeekableByteChannel {
  private final BucketReader reader;
  private final String key;
  private final String versionId;
  private final long size;
  private InputStream in;
  private long position;
  private boolean open = true;

  ObjectChannel(BucketReader reader, String key, String versionId, long size) {
    this.reader = reader;
    this.key = key;
    this.versionId = versionId;
    this.size = size;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (in == null) {
      if (position >= size) {
        return -1;
      }
      in = reader.open(key, versionId, position);
    }
    int n;
    if (dst.hasArray()) {
      n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
      if (n > 0) {
        dst.position(dst.position() + n);
      }
    } else {
      byte[] b = new byte[Math.min(dst.remaining(), 64 * 1024)];
      n = in.read(b);
      if (n > 0) {
        dst.put(b, 0, n);
      }
    }
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    if (newPosition != position) {
      closeStream();
      position = newPosition;
    }
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    open = false;
    closeStream();
  }

  private void closeStream() throws IOException {
    if (in != null) {
      InputStream s = in;
      in = null;
      if (position < size && s instanceof software.amazon.awssdk.http.Abortable a) {
        a.abort(); // closing would first drain the rest of the object
      }
      s.close();
    }
  }

  private void ensureOpen() throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
