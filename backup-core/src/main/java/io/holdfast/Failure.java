package io.holdfast;

/**
 * Why an operation failed: the phase it was in, the dataset or gate concerned (null if none), and
 * the cause.
 */
public record Failure(Phase phase, String subject, String message, Throwable cause) {
  /** The failure {@code cause} made in {@code phase}; its message, or its name if it has none. */
  public static Failure of(Phase phase, String subject, Throwable cause) {
    return new Failure(phase, subject, cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
  }

  /** The exception a report's {@code orThrow()} throws: "{@code what} failed in PHASE (subject): message". */
  public HoldfastException toException(String what) {
    return new HoldfastException(what + " failed in " + phase + (subject == null ? "" : " (" + subject + ")")
        + ": " + message, cause);
  }
}
