package io.holdfast.internal.repo;

import io.holdfast.internal.crypto.MasterKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one pack in memory: encrypted blobs back to back, then the encrypted header, then its
 * 4-byte little-endian length. Holds blobs of one type only. Not thread-safe: one writer per thread
 * at a time.
 */
final class PackWriter {
  private static final int ENTRY_PLAIN = 1 + 4 + Id.SIZE;
  private static final int ENTRY_COMPRESSED = 1 + 4 + 4 + Id.SIZE;

  private final BlobType type;
  private byte[] buf;
  private int size;
  private final List<Entry> entries = new ArrayList<>();

  /** A blob placed in this pack; {@code uncompressedLength} is 0 for an uncompressed blob. */
  record Entry(Id id, int offset, int length, int uncompressedLength) {
    PackedBlob in(BlobType type, Id pack) {
      return new PackedBlob(type, id, pack, offset, length, uncompressedLength);
    }
  }

  PackWriter(BlobType type, int initialCapacity) {
    this.type = type;
    this.buf = new byte[initialCapacity];
  }

  BlobType type() {
    return type;
  }

  int size() {
    return size;
  }

  int count() {
    return entries.size();
  }

  /** Encrypts {@code payload[0, len)} straight into the pack and records it. */
  void add(Id id, MasterKey key, byte[] payload, int len, int uncompressedLength) {
    ensure(size + len + MasterKey.OVERHEAD);
    int n = key.encryptInto(payload, 0, len, buf, size);
    entries.add(new Entry(id, size, n, uncompressedLength));
    size += n;
  }

  /** Appends a blob that is already encrypted ({@code len} bytes of IV, ciphertext and MAC). */
  void addEncrypted(Id id, byte[] stored, int off, int len, int uncompressedLength) {
    ensure(size + len);
    System.arraycopy(stored, off, buf, size, len);
    entries.add(new Entry(id, size, len, uncompressedLength));
    size += len;
  }

  List<Entry> entries() {
    return List.copyOf(entries);
  }

  /**
   * Appends the encrypted header and its length. The finished pack is {@link #buffer()}{@code [0,
   * size())}; the writer must not be used to add blobs after this.
   */
  void finish(MasterKey key) {
    int headerLen = 0;
    for (Entry e : entries) {
      headerLen += e.uncompressedLength > 0 ? ENTRY_COMPRESSED : ENTRY_PLAIN;
    }
    byte[] header = new byte[headerLen];
    int p = 0;
    for (Entry e : entries) {
      boolean compressed = e.uncompressedLength > 0;
      header[p++] = (byte) ((type == BlobType.TREE ? 1 : 0) | (compressed ? 2 : 0));
      p = putLe32(header, p, e.length);
      if (compressed) {
        p = putLe32(header, p, e.uncompressedLength);
      }
      e.id.copyTo(header, p);
      p += Id.SIZE;
    }
    byte[] encryptedHeader = key.encrypt(header);
    ensure(size + encryptedHeader.length + 4);
    System.arraycopy(encryptedHeader, 0, buf, size, encryptedHeader.length);
    size += encryptedHeader.length;
    size = putLe32(buf, size, encryptedHeader.length);
  }

  /** The buffer holding the pack; valid up to {@link #size()}. */
  byte[] buffer() {
    return buf;
  }

  private void ensure(int capacity) {
    if (capacity > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(capacity, buf.length + (buf.length >> 1)));
    }
  }

  static int putLe32(byte[] b, int p, int v) {
    b[p] = (byte) v;
    b[p + 1] = (byte) (v >>> 8);
    b[p + 2] = (byte) (v >>> 16);
    b[p + 3] = (byte) (v >>> 24);
    return p + 4;
  }

  static int getLe32(byte[] b, int p) {
    return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
  }
}
