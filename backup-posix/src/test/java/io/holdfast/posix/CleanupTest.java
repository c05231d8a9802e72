package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CleanupTest {
  private final List<String> undone = new CopyOnWriteArrayList<>();

  @Test
  void whatWasMadeIsKeptUntilTheCleanupRunsLastMadeFirst() throws IOException {
    Cleanup cleanup = Cleanup.whileMaking(c -> {
      c.add(() -> undone.add("first"));
      c.add(() -> undone.add("second"));
      return c;
    });
    assertThat(undone).isEmpty();
    cleanup.run();
    assertThat(undone).containsExactly("second", "first");
  }

  @Test
  void aMakingThatFailsHalfWayUndoesWhatItMadeAndRethrowsItsError() {
    assertThatThrownBy(() -> Cleanup.whileMaking(c -> {
      c.add(() -> undone.add("first"));
      c.add(() -> {
        throw new IOException("undo failed");
      });
      c.add(() -> undone.add("third"));
      throw new IOException("make failed");
    })).isInstanceOf(IOException.class).hasMessage("make failed")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .satisfies(s -> assertThat(s).hasMessage("undo failed")));
    assertThat(undone).containsExactly("third", "first");
  }

  @Test
  void anUncheckedFailureUndoesToo() {
    assertThatThrownBy(() -> Cleanup.whileMaking(c -> {
      c.add(() -> undone.add("made"));
      throw new IllegalStateException("bug");
    })).isInstanceOf(IllegalStateException.class).hasMessage("bug");
    assertThat(undone).containsExactly("made");
  }

  @Test
  void anErrorUndoesToo() {
    assertThatThrownBy(() -> Cleanup.whileMaking(c -> {
      c.add(() -> undone.add("made"));
      throw new StackOverflowError("deep");
    })).isInstanceOf(StackOverflowError.class).hasMessage("deep");
    assertThat(undone).containsExactly("made");
  }
}
