package io.holdfast.posix;

import io.holdfast.spi.ConsistencyGate;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A gate for in-process hosts: two callbacks, one that holds the application still (flush and
 * block writers) and one that resumes it. The resume callback runs at most once per hold.
 *
 * <p>When the hold callback throws, the resume callback runs anyway (the hold may have partly
 * happened) and the acquire then throws the hold callback's exception, with the resume's failure,
 * if any, suppressed in it. The timeout is not enforced here: the engine gives up waiting at it.
 *
 * <p>Immutable and thread-safe if the callbacks are; each {@link #acquire} gives an independent hold.
 */
public final class CallbackGate implements ConsistencyGate {
  /** A callback that may throw. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  private final String name;
  private final Action hold;
  private final Action resume;
  private final Duration timeout;
  private final OnFailure onFailure;

  private CallbackGate(String name, Action hold, Action resume, Duration timeout, OnFailure onFailure) {
    this.name = Objects.requireNonNull(name, "name");
    this.hold = Objects.requireNonNull(hold, "hold");
    this.resume = Objects.requireNonNull(resume, "resume");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
  }

  public static CallbackGate of(String name, Action hold, Action resume) {
    return new CallbackGate(name, hold, resume, Duration.ofSeconds(30), OnFailure.FAIL);
  }

  public CallbackGate withTimeout(Duration t) {
    return new CallbackGate(name, hold, resume, t, onFailure);
  }

  public CallbackGate onFailure(OnFailure policy) {
    return new CallbackGate(name, hold, resume, timeout, policy);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Duration acquireTimeout() {
    return timeout;
  }

  @Override
  public OnFailure onFailure() {
    return onFailure;
  }

  @Override
  public Hold acquire(Duration timeout) throws Exception {
    FailedHold.undoing(hold::run, resume::run);
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        resume.run();
      }
    };
  }
}
