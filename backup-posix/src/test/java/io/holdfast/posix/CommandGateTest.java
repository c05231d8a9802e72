package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.spi.ConsistencyGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandGateTest {
  private static final Duration T = Duration.ofSeconds(10);

  @TempDir Path tmp;

  private String append(String word) {
    return "echo " + word + " >> " + tmp.resolve("log");
  }

  @Test
  void theHoldCommandHoldsAndTheResumeCommandRunsOnce() throws Exception {
    CommandGate gate = CommandGate.builder().holdShell(append("start")).resumeShell(append("end")).timeout(T).build();
    ConsistencyGate.Hold hold = gate.acquire(gate.acquireTimeout());
    assertThat(tmp.resolve("log")).hasContent("start");
    hold.release();
    hold.release();
    assertThat(tmp.resolve("log")).hasContent("start\nend");
  }

  @Test
  void argumentVectorsRunWithoutAShellThroughTheRunner() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner();
    CommandGate gate = CommandGate.builder().name("db").hold(List.of("psql", "-c", "select 1; -- no shell"))
        .resume(List.of("psql", "-c", "select 2")).runner(runner).build();
    gate.acquire(T).release();
    assertThat(runner.calls()).containsExactly(List.of("psql", "-c", "select 1; -- no shell"),
        List.of("psql", "-c", "select 2"));
    assertThat(gate.name()).isEqualTo("db");
  }

  @Test
  void aNonZeroExitFailsWithTheLabelTheStatusAndTheLastLineOfOutput() {
    CommandGate gate = CommandGate.builder().holdShell("echo first; echo 'table locked' >&2; exit 4")
        .labels("--gate-start", "--gate-end").build();
    assertThatThrownBy(() -> gate.acquire(T))
        .isInstanceOf(IOException.class)
        .hasMessage("--gate-start command exited with status 4: table locked");
  }

  @Test
  void aCommandThatOutlastsItsLimitIsKilledAndTheResumeRuns() {
    CommandGate gate = CommandGate.builder().holdShell("sleep 20; echo late >> " + tmp.resolve("late"))
        .resumeShell(append("end")).timeout(T).build();
    long start = System.nanoTime();
    assertThatThrownBy(() -> gate.acquire(Duration.ofMillis(300)))
        .isInstanceOf(IOException.class)
        .hasMessage("hold command did not finish within PT0.3S or could not start");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(tmp.resolve("log")).hasContent("end");
    assertThat(tmp.resolve("late")).doesNotExist();
  }

  @Test
  void aHoldThatCannotRunKeepsItsCommandLineOutOfTheErrorAndItsCauses() {
    RecordingCommandRunner runner = new RecordingCommandRunner().answer(List.of("sh"), c -> {
      throw new java.io.UncheckedIOException(new IOException(String.join(" ", c) + " did not finish; killed"));
    });
    CommandGate gate = CommandGate.builder().holdShell("mysql -psecret").runner(runner).build();
    assertThatThrownBy(() -> gate.acquire(T)).hasMessage("hold command did not finish within PT10S or could not start")
        .satisfies(e -> {
          for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            assertThat(c.getMessage()).doesNotContain("secret");
          }
        });
  }

  @Test
  void aFailedHoldRunsTheResumeCommandToUndoWhatItDid() {
    RecordingCommandRunner runner = new RecordingCommandRunner().answer(List.of("lock"), 2, "half locked\n");
    CommandGate gate = CommandGate.builder().hold(List.of("lock")).resume(List.of("unlock")).runner(runner).build();
    assertThatThrownBy(() -> gate.acquire(T)).hasMessage("hold command exited with status 2: half locked");
    assertThat(runner.lines()).containsExactly("lock", "unlock");
  }

  @Test
  void aResumeThatFailsAfterAFailedHoldIsSuppressedInTheHoldsError() {
    RecordingCommandRunner runner = new RecordingCommandRunner().answer(List.of("lock"), 2, "half locked\n")
        .answer(List.of("unlock"), 1, "not locked\n");
    CommandGate gate = CommandGate.builder().hold(List.of("lock")).resume(List.of("unlock")).runner(runner).build();
    assertThatThrownBy(() -> gate.acquire(T)).hasMessage("hold command exited with status 2: half locked")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement().satisfies(s -> assertThat(s)
            .hasMessage("resume (after a failed hold) command exited with status 1: not locked")));
    assertThat(runner.lines()).containsExactly("lock", "unlock");
  }

  @Test
  void aHoldInterruptedHalfWayStillResumesUninterruptedAndKeepsTheInterrupt() {
    List<String> resumes = new java.util.concurrent.CopyOnWriteArrayList<>();
    RecordingCommandRunner runner = new RecordingCommandRunner()
        .answer(List.of("lock"), RecordingCommandRunner.interrupted("lock interrupted"))
        .answer(List.of("unlock"), RecordingCommandRunner.noticingInterrupts(resumes));
    CommandGate gate = CommandGate.builder().hold(List.of("lock")).resume(List.of("unlock")).runner(runner).build();
    try {
      assertThatThrownBy(() -> gate.acquire(T)).hasMessageContaining("hold command did not finish");
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(resumes).containsExactly("ran");
  }

  @Test
  void aFailedResumeIsAnErrorOfTheRelease() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner().answer(List.of("unlock"), 1, "");
    ConsistencyGate.Hold hold = CommandGate.builder().hold(List.of("lock")).resume(List.of("unlock")).runner(runner)
        .build().acquire(T);
    assertThatThrownBy(hold::release).hasMessage("resume command exited with status 1");
    hold.release();
    assertThat(runner.lines()).containsExactly("lock", "unlock");
  }

  @Test
  void eitherCommandMayBeAbsentButNotBoth() throws Exception {
    CommandGate.builder().resumeShell(append("end")).build().acquire(T).release();
    CommandGate.builder().holdShell(append("start")).build().acquire(T).release();
    assertThat(Files.readString(tmp.resolve("log"))).isEqualTo("end\nstart\n");
    assertThatThrownBy(() -> CommandGate.builder().build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommandGate.builder().hold(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommandGate.builder().timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSettingsAreTheGates() {
    CommandGate gate = CommandGate.builder().holdShell("true").timeout(Duration.ofSeconds(7))
        .onFailure(ConsistencyGate.OnFailure.DEGRADE).build();
    assertThat(gate.acquireTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(gate.onFailure()).isEqualTo(ConsistencyGate.OnFailure.DEGRADE);
    assertThat(gate.name()).isEqualTo("command");
  }
}
