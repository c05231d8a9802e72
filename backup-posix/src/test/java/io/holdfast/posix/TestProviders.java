package io.holdfast.posix;

import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import java.io.IOException;
import java.time.Duration;

/** Instant providers made of a lambda, for tests of what the engine does around {@code take()}. */
final class TestProviders {
  /** The body of a {@code take()}. */
  @FunctionalInterface
  interface Take {
    Snapshot take() throws IOException;
  }

  private TestProviders() {}

  /** An instant provider named {@code name} whose {@code take()} is {@code take}. */
  static SnapshotProvider instant(String name, Take take) {
    return new SnapshotProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Capability capability() {
        return Capability.INSTANT;
      }

      @Override
      public Snapshot take() throws IOException {
        return take.take();
      }
    };
  }

  /** An instant provider whose {@code take()} throws an IOException with {@code message}. */
  static SnapshotProvider failing(String message) {
    return instant("broken", () -> {
      throw new IOException(message);
    });
  }

  /** Waits {@code d} however often interrupted, as a badly behaved tool would. */
  static void sleepIgnoringInterrupts(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      try {
        Thread.sleep(Math.max(1, Math.min(20, (end - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException ignored) {
        // keep going
      }
    }
  }
}
