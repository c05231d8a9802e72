package io.holdfast.s3.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads objects of one bucket by key and version. A missing object or version is a
 * {@link java.nio.file.NoSuchFileException}. Implementations are thread-safe.
 */
public interface BucketReader {
  /** Streams the object from byte {@code from} on; the caller closes the stream. */
  InputStream open(String key, String versionId, long from) throws IOException;

  /** The object's metadata (HEAD). */
  ObjectMetadata head(String key, String versionId) throws IOException;
}
