package io.holdfast.storage;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A flat store of named byte objects: the only thing a repository needs from its storage.
 *
 * <p>Keys are strings of the form {@code segment/segment/name} chosen by the repository format,
 * never by the store; {@link BlobKeys} defines which strings are keys, and every method throws
 * {@link IllegalArgumentException} for a malformed key or prefix before it does any I/O. Objects
 * are written once: {@link #put} is atomic (no reader ever observes a partial object) and refuses
 * to replace an existing key. Implementations must be safe for use by many threads at once; of
 * several concurrent puts of one key exactly one succeeds.
 *
 * <p>Every storage failure is reported as a JDK {@link IOException}: {@link
 * java.nio.file.NoSuchFileException} for a missing key, {@link
 * java.nio.file.FileAlreadyExistsException} for a second put of a key, {@link
 * java.io.EOFException} for a ranged read past the end of an object. Arrays passed in and handed
 * out are never shared with the store: changing them later does not change a stored object.
 *
 * <p>Whoever opens a store closes it; a wrapper that owns its delegate closes it too.
 */
public interface BlobStore extends Closeable {

  /**
   * Stores {@code data} under {@code key}, atomically and durably: when this method returns the
   * object is complete and survives a crash (if {@link BlobStoreCapabilities#durable()}); when it
   * throws, no object (and no partial object) is visible under {@code key}.
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code key} already exists
   */
  void put(String key, byte[] data) throws IOException;

  /**
   * Stores {@code data[off, off+len)} under {@code key}, with the guarantees of {@link #put(String,
   * byte[])}. The default copies the range and calls that; stores that can write a range directly
   * override it, saving a copy of every pack.
   */
  default void put(String key, byte[] data, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, data.length);
    put(key, off == 0 && len == data.length ? data : java.util.Arrays.copyOfRange(data, off, off + len));
  }

  /**
   * Reads a whole object.
   *
   * @throws java.nio.file.NoSuchFileException if there is no object under {@code key}
   */
  byte[] get(String key) throws IOException;

  /**
   * Reads {@code length} bytes starting at {@code offset}; a range ending exactly at the end of
   * the object (including an empty range there) is fine.
   *
   * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
   * @throws java.nio.file.NoSuchFileException if there is no object under {@code key}
   * @throws java.io.EOFException if the range extends past the end of the object
   */
  byte[] get(String key, long offset, int length) throws IOException;

  /**
   * Size and name of one object.
   *
   * @throws java.nio.file.NoSuchFileException if there is no object under {@code key}
   */
  BlobInfo stat(String key) throws IOException;

  /**
   * Every object whose key starts with {@code prefix}, in no particular order, as a new list the
   * caller may change; an empty list when none does. The prefix is plain text, not a directory: {@code "data/ab"} matches {@code
   * "data/ab/..."} and {@code "data/abc"} alike, and {@code ""} matches everything.
   */
  List<BlobInfo> list(String prefix) throws IOException;

  /**
   * Removes an object; afterwards the key may be put again.
   *
   * @throws java.nio.file.NoSuchFileException if there is no object under {@code key}
   */
  void delete(String key) throws IOException;

  /** What this store can do. */
  BlobStoreCapabilities capabilities();

  /** Releases the store's resources; the default does nothing. */
  @Override
  default void close() throws IOException {}
}
