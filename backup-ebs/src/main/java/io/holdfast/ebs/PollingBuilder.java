package io.holdfast.ebs;

import java.time.Clock;
import java.time.Duration;

/**
 * The waiting options the public builders share (as {@code AbstractStringBuilder} serves
 * {@code StringBuilder}): how often to ask EC2 and how long to wait at most.
 */
abstract class PollingBuilder<B extends PollingBuilder<B>> {
  Polling polling;

  PollingBuilder(Duration interval, Duration maxWait) {
    polling = Polling.standard(interval, maxWait);
  }

  abstract B self();

  /** How often to ask EC2 whether the work is done. */
  public B pollInterval(Duration d) {
    polling = polling.withInterval(d);
    return self();
  }

  /** How long to wait for EC2 to finish before failing. */
  public B maxWait(Duration d) {
    polling = polling.withMaxWait(d);
    return self();
  }

  /** Tests: a clock and a sleeper that advances it. */
  B polling(Clock clock, Polling.Sleeper sleeper) {
    polling = polling.withTime(clock, sleeper);
    return self();
  }
}
