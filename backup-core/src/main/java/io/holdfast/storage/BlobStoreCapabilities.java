package io.holdfast.storage;

/**
 * What a {@link BlobStore} can do, as data rather than subclasses.
 *
 * @param connections how many requests the store serves well in parallel (a hint for uploaders)
 * @param durable whether objects survive the process (false for the in-memory store)
 */
public record BlobStoreCapabilities(int connections, boolean durable) {
  public BlobStoreCapabilities {
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be at least 1, got " + connections);
    }
  }
}
