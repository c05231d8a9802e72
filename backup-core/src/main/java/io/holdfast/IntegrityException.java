package io.holdfast;

/**
 * Stored data failed a check: a MAC that does not verify, a hash that does not match, a pack shorter
 * than its index says, a blob the index does not know. Never a wrong byte returned silently.
 */
public class IntegrityException extends HoldfastException {
  public IntegrityException(String message) {
    super(message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
