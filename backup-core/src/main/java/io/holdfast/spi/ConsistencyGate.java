package io.holdfast.spi;

import java.time.Duration;

/**
 * The host application's lifecycle hook: brings the application to a write-free, consistent state
 * and returns a {@link Hold} whose release resumes it (stop and start a service, flush and block
 * writers, {@code fsfreeze}).
 *
 * <p>The engine acquires a plan's gates in order and releases them in reverse, always in a
 * {@code finally}, and at the latest when the plan's maximum hold time has passed. A gate whose
 * work lives outside the JVM must arrange its own undo in case the JVM dies while it is held.
 *
 * <p>A failed acquire never leaves the application held. A hold that fails (throws, times out, is
 * interrupted) may have partly held the application (a service half-stopped, some writers
 * blocked), so before {@link #acquire} throws, the gate runs its resume all the same, as a best
 * effort, even when there may be nothing to resume. The exception thrown is the hold's own; a
 * failure of that resume is attached to it as suppressed. The engine never releases a hold that
 * {@code acquire} did not return: this undo is the gate's job.
 */
public interface ConsistencyGate {
  /** What to do when acquiring this gate fails. */
  enum OnFailure {
    /** No backup (the default). */
    FAIL,
    /** Back up without this gate; datasets get consistency level crash or none, with a warning. */
    DEGRADE
  }

  /** A short name for reports and logs. */
  String name();

  /**
   * Holds the application still; returns once it is. Must give up by {@code timeout}.
   *
   * @throws Exception if the application could not be held; the gate has then run its resume (see
   *     above), whose failure, if any, is suppressed in this exception
   */
  Hold acquire(Duration timeout) throws Exception;

  /** How long {@link #acquire} may take; 30 seconds unless the gate says otherwise. */
  default Duration acquireTimeout() {
    return Duration.ofSeconds(30);
  }

  default OnFailure onFailure() {
    return OnFailure.FAIL;
  }

  /** An acquired gate. {@link #release()} resumes the application; a second release does nothing. */
  interface Hold extends AutoCloseable {
    void release() throws Exception;

    @Override
    default void close() throws Exception {
      release();
    }
  }
}
