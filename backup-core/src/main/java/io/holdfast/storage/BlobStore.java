package io.holdfast.storage;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A flat store of named byte objects: the only thing a repository needs from its storage.
 *
 * <p>Keys are strings of the form {@code segment/segment/name} chosen by the repository format,
 * never by the store. Objects are written once: {@link #put} is atomic (no reader ever observes a
 * partial object) and refuses to replace an existing key. Implementations must be safe for use by
 * many threads at once.
 *
 * <p>Every failure is reported as a JDK {@link IOException}: {@link java.nio.file.NoSuchFileException}
 * for a missing key, {@link java.nio.file.FileAlreadyExistsException} for a second put of a key,
 * {@link java.io.EOFException} for a ranged read past the end of an object.
 */
public interface BlobStore extends Closeable {

  /**
   * Stores {@code data} under {@code key}, atomically and durably: when this method returns the
   * object is complete and survives a crash; when it throws, no object (and no partial object) is
   * visible under {@code key}.
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code key} already exists
   */
  void put(String key, byte[] data) throws IOException;

  /** Reads a whole object. */
  byte[] get(String key) throws IOException;

  /**
   * Reads {@code length} bytes starting at {@code offset}.
   *
   * @throws java.io.EOFException if the range extends past the end of the object
   */
  byte[] get(String key, long offset, int length) throws IOException;

  /** Size and name of one object. */
  BlobInfo stat(String key) throws IOException;

  /** Every object whose key starts with {@code prefix}, in no particular order. */
  List<BlobInfo> list(String prefix) throws IOException;

  /** Removes an object. */
  void delete(String key) throws IOException;

  /** What this store can do. */
  BlobStoreCapabilities capabilities();

  /** Releases the store's resources; the default does nothing. */
  @Override
  default void close() throws IOException {}
}
