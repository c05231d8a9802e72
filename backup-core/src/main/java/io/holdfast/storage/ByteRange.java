package io.holdfast.storage;

import java.io.EOFException;

/**
 * The bytes a ranged {@link BlobStore#get(String, long, int)} asks for, checked the same way by
 * every store.
 *
 * @param offset the first byte, at least 0
 * @param length how many bytes, at least 0
 * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
 */
public record ByteRange(long offset, int length) {

  public ByteRange {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "negative range: offset " + offset + ", length " + length);
    }
  }

  /**
   * Checks that this range lies within an object of {@code size} bytes.
   *
   * @throws EOFException naming {@code key} if the range extends past the end
   */
  public void requireWithin(String key, long size) throws EOFException {
    // Written as a subtraction: offset + length could overflow for offsets near Long.MAX_VALUE.
    if (offset > size - length) {
      throw new EOFException(
          key + ": range " + offset + "+" + length + " extends past the end (size " + size + ")");
    }
  }
}
