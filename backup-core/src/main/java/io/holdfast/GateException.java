package io.holdfast;

/** A consistency gate could not be acquired, or released, or was held too long. */
public class GateException extends HoldfastException {
  public GateException(String message) {
    super(message);
  }

  public GateException(String message, Throwable cause) {
    super(message, cause);
  }
}
