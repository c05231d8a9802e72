package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.spi.ConsistencyGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandGateTest {
  @TempDir Path tmp;

  private String append(String word) {
    return "echo " + word + " >> " + tmp.resolve("log");
  }

  @Test
  void theStartCommandHoldsAndTheEndCommandResumesOnce() throws Exception {
    CommandGate gate = new CommandGate(append("start"), append("end"), Duration.ofSeconds(10));
    ConsistencyGate.Hold hold = gate.acquire(gate.acquireTimeout());
    assertThat(tmp.resolve("log")).hasContent("start");
    hold.release();
    hold.release();
    assertThat(tmp.resolve("log")).hasContent("start\nend");
  }

  @Test
  void aNonZeroExitFailsWithTheStatusAndTheLastLineOfOutput() {
    assertThatThrownBy(() -> CommandGate.run("--gate-start", "echo first; echo 'table locked' >&2; exit 4",
        Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class)
        .hasMessage("--gate-start command exited with status 4: table locked");
  }

  @Test
  void aCommandThatOutlastsItsLimitIsKilled() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> CommandGate.run("--gate-end", "sleep 20", Duration.ofMillis(300)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("did not finish within PT0.3S and was killed");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aFailedStartStillRunsTheEndCommand() {
    CommandGate gate = new CommandGate("exit 1", append("end"), Duration.ofSeconds(10));
    assertThatThrownBy(() -> gate.acquire(gate.acquireTimeout())).hasMessageContaining("status 1");
    assertThat(tmp.resolve("log")).hasContent("end");
  }

  @Test
  void eitherCommandMayBeAbsent() throws Exception {
    new CommandGate(null, append("end"), Duration.ofSeconds(10)).acquire(Duration.ofSeconds(10)).release();
    new CommandGate(append("start"), null, Duration.ofSeconds(10)).acquire(Duration.ofSeconds(10)).release();
    assertThat(Files.readString(tmp.resolve("log"))).isEqualTo("end\nstart\n");
    assertThatThrownBy(() -> new CommandGate(null, null, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
