package io.holdfast.storage;

import java.util.Objects;

/** The key and size in bytes of one stored object. */
public record BlobInfo(String key, long size) {
  public BlobInfo {
    Objects.requireNonNull(key, "key");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size + " for " + key);
    }
  }
}
