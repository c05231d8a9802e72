package io.holdfast.posix;

/**
 * The one rule every gate of this package follows when its acquire fails (see
 * {@link io.holdfast.spi.ConsistencyGate}): a hold that failed may have partly held the application,
 * so the gate's undo runs all the same, as a best effort; the acquire then fails with the hold's own
 * error, the undo's failure (if any) attached to it as suppressed. An interrupted thread still
 * undoes: the interrupt flag is cleared while the undo runs and set again after.
 */
final class FailedHold {
  /** One step of a gate: the hold or its undo. */
  @FunctionalInterface
  interface Step<E extends Exception> {
    void run() throws E;
  }

  private FailedHold() {}

  /**
   * Runs {@code hold}; if it throws anything, runs {@code undo} and rethrows what {@code hold} threw,
   * with a failure of {@code undo} suppressed in it.
   */
  static <E extends Exception> void undoing(Step<E> hold, Step<?> undo) throws E {
    try {
      hold.run();
    } catch (Throwable failed) {
      boolean interrupted = Thread.interrupted();
      try {
        undo.run();
      } catch (Throwable undoFailed) {
        failed.addSuppressed(undoFailed);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      throw failed;
    }
  }
}
