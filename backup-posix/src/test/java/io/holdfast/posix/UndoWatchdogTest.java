package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detached watchdog, with a harmless undo command: it runs at the deadline, or never if cancelled. */
class UndoWatchdogTest {
  @TempDir Path tmp;

  @Test
  void theUndoRunsWhenTheDeadlinePasses() throws Exception {
    Path marker = tmp.resolve("undone");
    UndoWatchdog w = UndoWatchdog.DETACHED.start("test", List.of("touch", marker.toString()), Duration.ofMillis(400));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Files.exists(marker) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(marker).exists();
    assertThat(w.finished()).isTrue();
  }

  @Test
  void aCancelledWatchdogNeverRunsItsUndo() throws Exception {
    Path marker = tmp.resolve("undone");
    UndoWatchdog w = UndoWatchdog.DETACHED.start("test", List.of("touch", marker.toString()), Duration.ofMillis(600));
    assertThat(w.finished()).isFalse();
    w.cancel();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!w.finished() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(w.finished()).as("the cancelled watchdog is gone").isTrue();
    assertThat(marker).doesNotExist();
  }
}
