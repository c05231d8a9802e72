package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.spi.ConsistencyGate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FsfreezeGateTest {
  private static final Duration T = Duration.ofSeconds(10);

  /** A real filesystem for the tests that freeze one; the others run without it (and without root). */
  @RegisterExtension
  static final LoopFilesystem fs = new LoopFilesystem("32M", "mkfs.ext4", "-q").requiring("fsfreeze", "setsid");

  private final List<Process> children = new ArrayList<>();
  private Path frozen;

  @AfterEach
  void cleanUp() throws Exception {
    if (frozen != null) {
      CommandRunner.system().run(List.of("fsfreeze", "-u", frozen.toString()), T); // fails when not frozen
    }
    for (Process p : children) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The shared loop filesystem, thawed after the test; or the test is skipped, saying what is missing. */
  private Path mount() throws IOException {
    frozen = fs.mount();
    return frozen;
  }

  /** Starts a process that writes a file on {@code mount}; it blocks while the filesystem is frozen. */
  private Process write(Path mount, String file) throws IOException {
    Process p = new ProcessBuilder("sh", "-c", "echo x > " + mount.resolve(file)).start();
    children.add(p);
    return p;
  }

  private static void assertBlocked(Process writer) throws InterruptedException {
    assertThat(writer.waitFor(300, TimeUnit.MILLISECONDS)).as("a write to a frozen filesystem finished").isFalse();
  }

  private static void assertCompletes(Process writer, Duration within) throws InterruptedException {
    assertThat(writer.waitFor(within.toMillis(), TimeUnit.MILLISECONDS))
        .as("a write finished within %s: the filesystem was thawed", within).isTrue();
    assertThat(writer.exitValue()).isZero();
  }

  /** Watchdogs this JVM started that are still running. */
  private static List<ProcessHandle> watchdogs() {
    String pid = Long.toString(ProcessHandle.current().pid());
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().arguments().map(a -> List.of(a).contains("holdfast-undo-watchdog")
            && List.of(a).contains(pid)).orElse(false))
        .toList();
  }

  private static void awaitNoWatchdogs() throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!watchdogs().isEmpty() && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    assertThat(watchdogs()).isEmpty();
  }

  @Test
  void acquireFreezesAndReleaseThawsOnceAndStopsTheWatchdog() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner();
    ConsistencyGate.Hold hold = new FsfreezeGate(Path.of("/srv/data"), runner).acquire(T);
    assertThat(runner.lines()).containsExactly("fsfreeze -f /srv/data");
    assertThat(watchdogs()).hasSize(1);
    hold.release();
    hold.release();
    assertThat(runner.lines()).containsExactly("fsfreeze -f /srv/data", "fsfreeze -u /srv/data");
    awaitNoWatchdogs();
  }

  @Test
  void aFailedFreezeThawsToBeSureAndStopsTheWatchdog() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner()
        .answer(List.of("fsfreeze", "-f"), 1, "fsfreeze: /srv/data: freeze failed: Operation not supported\n");
    assertThatThrownBy(() -> new FsfreezeGate(Path.of("/srv/data"), runner).acquire(T))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Operation not supported");
    assertThat(runner.lines()).containsExactly("fsfreeze -f /srv/data", "fsfreeze -u /srv/data");
    awaitNoWatchdogs();
  }

  @Test
  void aThawRefusedAfterAFailedFreezeIsSuppressedInTheFreezesErrorAndStopsTheWatchdog() {
    RecordingCommandRunner runner = new RecordingCommandRunner()
        .answer(List.of("fsfreeze", "-f"), 1, "fsfreeze: /srv/data: freeze failed: Operation not supported\n")
        .answer(List.of("fsfreeze", "-u"), 1, "fsfreeze: /srv/data: thaw failed: Invalid argument\n");
    RecordingWatchdogs fake = new RecordingWatchdogs();
    assertThatThrownBy(() -> new FsfreezeGate(Path.of("/srv/data"), Duration.ofMinutes(5), runner, fake).acquire(T))
        .hasMessageContaining("Operation not supported")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .satisfies(s -> assertThat(s).hasMessageContaining("fsfreeze -u /srv/data exited 1")
                .hasMessageContaining("Invalid argument")));
    assertThat(fake.cancelled).as("a thaw that ran leaves nothing frozen").hasValue(1);
  }

  @Test
  void aFreezeInterruptedHalfWayStillThawsUninterruptedAndKeepsTheInterrupt() {
    List<String> thaws = new java.util.concurrent.CopyOnWriteArrayList<>();
    RecordingCommandRunner runner = new RecordingCommandRunner()
        .answer(List.of("fsfreeze", "-f"), RecordingCommandRunner.interrupted("fsfreeze -f /srv/data interrupted"))
        .answer(List.of("fsfreeze", "-u"), RecordingCommandRunner.noticingInterrupts(thaws));
    RecordingWatchdogs fake = new RecordingWatchdogs();
    try {
      assertThatThrownBy(() -> new FsfreezeGate(Path.of("/srv/data"), Duration.ofMinutes(5), runner, fake).acquire(T))
          .hasMessage("fsfreeze -f /srv/data interrupted");
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(thaws).containsExactly("ran");
    assertThat(fake.cancelled).hasValue(1);
  }

  @Test
  void aFreezeThatTimesOutAndCannotBeThawedLeavesTheWatchdogArmed() {
    RecordingCommandRunner runner = new RecordingCommandRunner().answer(List.of("fsfreeze"), c -> {
      throw new java.io.UncheckedIOException(new IOException(String.join(" ", c) + " did not finish in time"));
    });
    RecordingWatchdogs fake = new RecordingWatchdogs();
    assertThatThrownBy(() -> new FsfreezeGate(Path.of("/srv/data"), Duration.ofMinutes(5), runner, fake).acquire(T))
        .hasMessageContaining("fsfreeze -f /srv/data did not finish in time")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .satisfies(s -> assertThat(s).hasMessageContaining("fsfreeze -u /srv/data")));
    assertThat(fake.cancelled).as("the freeze may have taken effect: the watchdog must still thaw").hasValue(0);
  }

  @Test
  void aFailedThawIsAnErrorOfTheRelease() throws Exception {
    RecordingCommandRunner runner = new RecordingCommandRunner()
        .answer(List.of("fsfreeze", "-u"), 1, "fsfreeze: /srv/data: unfreeze failed: Device busy\n");
    ConsistencyGate.Hold hold = new FsfreezeGate(Path.of("/srv/data"), runner).acquire(T);
    assertThatThrownBy(hold::release).hasMessageContaining("fsfreeze -u /srv/data exited 1").hasMessageContaining(
        "Device busy");
    awaitNoWatchdogs();
  }

  @Test
  void writesBlockWhileHeldAndFinishAfterRelease() throws Exception {
    Path mount = mount();
    ConsistencyGate.Hold hold = new FsfreezeGate(mount).acquire(T);
    Process writer;
    try {
      writer = write(mount, "f");
      assertBlocked(writer);
    } finally {
      hold.release();
    }
    assertCompletes(writer, Duration.ofSeconds(5));
    awaitNoWatchdogs();
  }

  @Test
  void aKilledJvmDoesNotLeaveTheFilesystemFrozen() throws Exception {
    Path mount = mount();
    Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"),
        FsfreezeHolderMain.class.getName(), mount.toString(), "300")
        .redirectErrorStream(true).start();
    children.add(child);
    CompletableFuture<String> said = CompletableFuture.supplyAsync(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        StringBuilder all = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
          all.append(line).append('\n');
          if (line.equals(FsfreezeHolderMain.FROZEN)) {
            return all.toString();
          }
        }
        return all.toString();
      } catch (IOException e) {
        return e.toString();
      }
    });
    String output = said.get(30, TimeUnit.SECONDS);
    assertThat(output).as("child output").endsWith(FsfreezeHolderMain.FROZEN + "\n");
    Process writer = write(mount, "f");
    assertBlocked(writer);

    child.destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

    assertCompletes(writer, Duration.ofSeconds(5));
  }

  @Test
  void aHoldThatIsNeverReleasedIsThawedAtTheMaximumHold() throws Exception {
    Path mount = mount();
    long start = System.nanoTime();
    ConsistencyGate.Hold hold = new FsfreezeGate(mount, Duration.ofSeconds(2), CommandRunner.system()).acquire(T);
    Process writer = write(mount, "f");
    assertBlocked(writer);
    assertCompletes(writer, Duration.ofSeconds(6));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    assertThatThrownBy(hold::release).hasMessageContaining("was thawed by its watchdog before release");
  }
}
