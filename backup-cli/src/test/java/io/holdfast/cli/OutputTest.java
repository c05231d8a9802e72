package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Phase;
import io.holdfast.PhaseChange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputTest {
  @TempDir Path tmp;

  @Test
  void theSnapshotTableAlignsColumnsAndSetsMultiLineRowsApart() {
    List<String> t = SnapshotsCommand.table(List.of(
        new String[][] {{"1a2b3c4d"}, {"2024-05-01 12:00:00"}, {"host"}, {"holdfast,plan:x"}, {"/a", "/bb"}},
        new String[][] {{"5e6f7a8b"}, {"2024-05-02 12:00:00"}, {"longer-host"}, {""}, {"/c"}}));
    assertThat(t).containsExactly(
        "ID        Time                 Host         Tags             Paths",
        "------------------------------------------------------------------",
        "1a2b3c4d  2024-05-01 12:00:00  host         holdfast,plan:x  /a",
        "                                                             /bb",
        "",
        "5e6f7a8b  2024-05-02 12:00:00  longer-host                   /c",
        "------------------------------------------------------------------");
  }

  @Test
  void sizesAndDurationsReadAsResticPrintsThem() {
    assertThat(HumanUnits.bytes(0)).isEqualTo("0 B");
    assertThat(HumanUnits.bytes(1023)).isEqualTo("1023 B");
    assertThat(HumanUnits.bytes(1536)).isEqualTo("1.500 KiB");
    assertThat(HumanUnits.bytes(3L << 30)).isEqualTo("3.000 GiB");
    assertThat(HumanUnits.duration(Duration.ofSeconds(65))).isEqualTo("1:05");
    assertThat(HumanUnits.duration(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
  }

  @Test
  void theProgressBarRedrawsOneLineAndErasesItAtTheEnd() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8));
    bar.phase("p", new PhaseChange(Phase.RUNNING, Instant.now()));
    bar.progress("p", 12, 3 << 20);
    assertThat(bar.line()).matches("\\[0:0\\d\\] saving: 12 files, 3\\.000 MiB, .+/s");
    bar.phase("p", new PhaseChange(Phase.SUCCEEDED, Instant.now()));
    bar.progress("p", 13, 4 << 20); // the engine's last report comes after the end: not drawn
    String drawn = buf.toString(StandardCharsets.UTF_8);
    assertThat(drawn).startsWith("\r[").doesNotContain("\n").doesNotContain("13 files").endsWith("\r");
  }

  @Test
  void theProgressBarShowsTheLatestDatasetStatusAfterTheCounts() {
    ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    bar.phase("p", new PhaseChange(Phase.RUNNING, Instant.now()));
    bar.status("p", "data", "vol-a snap-1: pending 40%");
    bar.status("p", "data", "vol-a snap-1: completed");
    assertThat(bar.line()).endsWith(" | data: vol-a snap-1: completed");
  }

  @Test
  void onATerminalABackupDrawsProgressOnStderrButNotWithJson() throws Exception {
    Cli cli = Cli.withNewRepository(tmp.resolve("repo"));
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("a"), "a");
    cli.terminal = Cli.interactive(prompt -> null);
    assertThat(cli.run("backup", data.toString()).ok().err()).contains("\r[0:0");
    Cli.Result json = cli.run("backup", "--json", data.toString()).ok();
    assertThat(json.err()).doesNotContain("\r");
    assertThat(json.out().lines()).hasSize(1);
  }
}
