package io.holdfast;

/** There is no repository at the given location (no {@code config} file). */
public class RepositoryNotFoundException extends HoldfastException {
  public RepositoryNotFoundException(String message) {
    super(message);
  }
}
