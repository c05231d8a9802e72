package io.holdfast.ebs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How to wait for EC2 to finish something: ask every {@code interval}, give up after
 * {@code maxWait}, by {@code clock}, sleeping with {@code sleeper}; tests pass a clock that the
 * sleeper advances, so no test really waits.
 */
record Polling(Clock clock, Sleeper sleeper, Duration interval, Duration maxWait) {
  /** Sleeps. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** One look at the state: done or not, and a line saying where things are. */
  record Look(boolean done, String status) {}

  /** One look; throws when the state is final and bad (a snapshot in {@code error}). */
  interface Check {
    Look look() throws IOException;
  }

  Polling {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    if (interval.isNegative() || interval.isZero() || maxWait.isNegative()) {
      throw new IllegalArgumentException("poll interval must be positive and the maximum wait not negative");
    }
  }

  static Polling standard(Duration interval, Duration maxWait) {
    return new Polling(Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), interval, maxWait);
  }

  Polling withTime(Clock c, Sleeper s) {
    return new Polling(c, s, interval, maxWait);
  }

  Polling withInterval(Duration d) {
    return new Polling(clock, sleeper, d, maxWait);
  }

  Polling withMaxWait(Duration d) {
    return new Polling(clock, sleeper, interval, d);
  }

  /**
   * Looks until done; returns the last status line.
   *
   * @throws IOException from the check, or when {@code maxWait} passes first (naming {@code what}
   *     and the last status)
   */
  String await(String what, Check check, java.util.function.Consumer<String> status) throws IOException {
    Instant deadline = clock.instant().plus(maxWait);
    String last = null;
    while (true) {
      Look look = check.look();
      if (!look.status().equals(last)) {
        status.accept(look.status());
        last = look.status();
      }
      if (look.done()) {
        return last;
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new IOException(what + " did not finish within " + maxWait + ": " + last);
      }
      try {
        sleeper.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + what + ": " + last);
      }
    }
  }
}
