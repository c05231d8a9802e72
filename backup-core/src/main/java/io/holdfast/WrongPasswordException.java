package io.holdfast;

/** No key file of the repository opens with the given password. Nothing was written. */
public class WrongPasswordException extends HoldfastException {
  public WrongPasswordException(String message) {
    super(message);
  }
}
