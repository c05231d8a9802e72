package io.holdfast;

/** The repository is locked by another process in a way that conflicts with the requested lock. */
public class LockConflictException extends HoldfastException {
  public LockConflictException(String message) {
    super(message);
  }
}
