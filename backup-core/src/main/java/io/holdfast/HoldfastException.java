package io.holdfast;

/**
 * Root of every error Holdfast raises itself. Subtypes say what failed; messages name the dataset,
 * path or key involved and never contain a secret.
 */
public class HoldfastException extends RuntimeException {
  public HoldfastException(String message) {
    super(message);
  }

  public HoldfastException(String message, Throwable cause) {
    super(message, cause);
  }
}
