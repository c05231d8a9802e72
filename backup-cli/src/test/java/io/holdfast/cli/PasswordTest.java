package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordTest {
  static final String WRONG = "wrong-password";

  @TempDir Path tmp;
  Cli cli;
  Path rightFile;
  Path wrongFile;

  @BeforeEach
  void setUp() throws Exception {
    cli = Cli.withNewRepository(tmp.resolve("repo"));
    cli.env.remove(PasswordSource.HOLDFAST_PASSWORD);
    rightFile = Files.writeString(tmp.resolve("right"), Cli.PASSWORD + "\n");
    wrongFile = Files.writeString(tmp.resolve("wrong"), WRONG + "\n");
  }

  private int snapshots(String holdfast, String restic, Path file) {
    cli.env.remove(PasswordSource.HOLDFAST_PASSWORD);
    cli.env.remove(PasswordSource.RESTIC_PASSWORD);
    if (holdfast != null) {
      cli.env.put(PasswordSource.HOLDFAST_PASSWORD, holdfast);
    }
    if (restic != null) {
      cli.env.put(PasswordSource.RESTIC_PASSWORD, restic);
    }
    List<String> args = new ArrayList<>(List.of("snapshots"));
    if (file != null) {
      args.addAll(List.of("--password-file", file.toString()));
    }
    Cli.Result r = cli.run(args.toArray(String[]::new));
    assertThat(r.out() + r.err()).doesNotContain(Cli.PASSWORD).doesNotContain(WRONG);
    return r.exit();
  }

  @Test
  void holdfastPasswordComesBeforeResticPasswordBeforeThePasswordFile() {
    assertThat(snapshots(Cli.PASSWORD, WRONG, wrongFile)).isZero();
    assertThat(snapshots(WRONG, Cli.PASSWORD, rightFile)).isEqualTo(12);
    assertThat(snapshots(null, Cli.PASSWORD, wrongFile)).isZero();
    assertThat(snapshots(null, WRONG, rightFile)).isEqualTo(12);
    assertThat(snapshots(null, null, rightFile)).isZero();
    assertThat(snapshots(null, null, wrongFile)).isEqualTo(12);
  }

  @Test
  void anEmptyVariableCountsAsUnset() {
    assertThat(snapshots("", "", rightFile)).isZero();
  }

  @Test
  void thePasswordFileGivesItsFirstLineWithoutTheLineEnding() throws Exception {
    Files.writeString(rightFile, Cli.PASSWORD + "\r\nsecond line\n");
    assertThat(snapshots(null, null, rightFile)).isZero();
    Files.writeString(rightFile, Cli.PASSWORD);
    assertThat(snapshots(null, null, rightFile)).isZero();
  }

  @Test
  void aMissingPasswordFileIsAClearError() {
    Cli.Result r = cli.run("snapshots", "--password-file", tmp.resolve("absent").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("holdfast: cannot read the password file " + tmp.resolve("absent"));
  }

  @Test
  void onATerminalItAsksAndInitAsksTwice() {
    List<String> prompts = new ArrayList<>();
    List<String> answers = new ArrayList<>(List.of(Cli.PASSWORD));
    cli.terminal = Cli.interactive(prompt -> {
      prompts.add(prompt);
      return answers.isEmpty() ? null : answers.remove(0).toCharArray();
    });
    assertThat(cli.run("snapshots").ok().out()).contains("0 snapshots");
    assertThat(prompts).containsExactly("enter password for repository: ");

    prompts.clear();
    answers.addAll(List.of("one", "two"));
    Cli fresh = new Cli();
    fresh.terminal = cli.terminal;
    Path dir = tmp.resolve("new");
    Cli.Result mismatch = fresh.run("init", "-r", dir.toString());
    assertThat(mismatch.exit()).isEqualTo(1);
    assertThat(mismatch.err()).isEqualTo("holdfast: the passwords do not match\n");
    assertThat(prompts).containsExactly("enter password for new repository: ", "enter password again: ");
    assertThat(dir).doesNotExist();
  }
}
