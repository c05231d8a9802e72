package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.spi.ConsistencyGate;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CallbackGateTest {
  private static final Duration T = Duration.ofSeconds(5);
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Test
  void theHoldRunsOnAcquireAndTheResumeOnceOnRelease() throws Exception {
    ConsistencyGate.Hold hold = CallbackGate.of("app", () -> events.add("hold"), () -> events.add("resume")).acquire(T);
    assertThat(events).containsExactly("hold");
    hold.release();
    hold.release();
    assertThat(events).containsExactly("hold", "resume");
  }

  @Test
  void aFailedHoldRunsTheResumeAndFailsWithTheHoldsError() {
    CallbackGate gate = CallbackGate.of("app", () -> {
      events.add("half held");
      throw new IOException("flush failed half-way");
    }, () -> events.add("resume"));
    assertThatThrownBy(() -> gate.acquire(T)).isInstanceOf(IOException.class).hasMessage("flush failed half-way")
        .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    assertThat(events).containsExactly("half held", "resume");
  }

  @Test
  void aResumeThatFailsAfterAFailedHoldIsSuppressedInTheHoldsError() {
    CallbackGate gate = CallbackGate.of("app", () -> {
      throw new IllegalStateException("writers would not stop");
    }, () -> {
      throw new IOException("resume failed too");
    });
    assertThatThrownBy(() -> gate.acquire(T)).isInstanceOf(IllegalStateException.class)
        .hasMessage("writers would not stop")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .satisfies(s -> assertThat(s).isInstanceOf(IOException.class).hasMessage("resume failed too")));
  }

  @Test
  void aHoldInterruptedHalfWayStillResumesUninterruptedAndKeepsTheInterrupt() {
    CallbackGate gate = CallbackGate.of("app", () -> {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while flushing");
    }, () -> events.add(Thread.currentThread().isInterrupted() ? "resume while interrupted" : "resume"));
    try {
      assertThatThrownBy(() -> gate.acquire(T)).hasMessage("interrupted while flushing");
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(events).containsExactly("resume");
  }

  @Test
  void theSettingsAreTheGates() {
    CallbackGate gate = CallbackGate.of("app", () -> { }, () -> { }).withTimeout(Duration.ofSeconds(7))
        .onFailure(ConsistencyGate.OnFailure.DEGRADE);
    assertThat(gate.name()).isEqualTo("app");
    assertThat(gate.acquireTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(gate.onFailure()).isEqualTo(ConsistencyGate.OnFailure.DEGRADE);
  }
}
