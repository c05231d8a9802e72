package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.spi.ConsistencyGate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HeldGatesTest {
  @Test
  void aHoldThatArrivesAfterTheAcquiringThreadWasInterruptedIsReleased() throws Exception {
    CountDownLatch acquiring = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    ConsistencyGate gate = new ConsistencyGate() {
      @Override
      public String name() {
        return "slow";
      }

      @Override
      public Hold acquire(Duration timeout) throws Exception {
        acquiring.countDown();
        proceed.await();
        return released::countDown;
      }
    };
    ExecutorService executor = Executors.newCachedThreadPool();
    try {
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      Thread runner = new Thread(() -> {
        try {
          HeldGates.acquire("test", List.of(gate), executor, w -> { });
        } catch (Throwable t) {
          thrown.set(t);
        }
      });
      runner.start();
      assertThat(acquiring.await(10, TimeUnit.SECONDS)).isTrue();
      runner.interrupt();
      runner.join(10_000);
      assertThat(thrown.get()).isInstanceOf(InterruptedException.class);

      proceed.countDown(); // the gate's acquire now succeeds, after the run gave up on it
      assertThat(released.await(10, TimeUnit.SECONDS)).as("the late hold is released").isTrue();
    } finally {
      proceed.countDown();
      executor.shutdownNow();
    }
  }
}
