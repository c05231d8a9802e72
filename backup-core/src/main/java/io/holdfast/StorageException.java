package io.holdfast;

import java.io.IOException;

/** A storage operation failed; the cause is the store's own {@link IOException}. */
public class StorageException extends HoldfastException {
  public StorageException(String message, IOException cause) {
    super(message, cause);
  }

  @Override
  public synchronized IOException getCause() {
    return (IOException) super.getCause();
  }
}
