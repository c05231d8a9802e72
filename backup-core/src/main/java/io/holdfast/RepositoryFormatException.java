package io.holdfast;

/**
 * A repository file is not in a format Holdfast understands: unknown repository version, a damaged
 * config, malformed JSON. The message names the file.
 */
public class RepositoryFormatException extends HoldfastException {
  public RepositoryFormatException(String message) {
    super(message);
  }

  public RepositoryFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
