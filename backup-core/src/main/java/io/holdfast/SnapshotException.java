package io.holdfast;

/** A dataset could not be frozen or its snapshot could not be read. */
public class SnapshotException extends HoldfastException {
  public SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
