package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.BackupReport;
import io.holdfast.ConsistencyLevel;
import io.holdfast.DatasetReport;
import io.holdfast.Failure;
import io.holdfast.HoldfastException;
import io.holdfast.LockConflictException;
import io.holdfast.Phase;
import io.holdfast.PhaseChange;
import io.holdfast.RepositoryNotFoundException;
import io.holdfast.WrongPasswordException;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitCodesTest {
  @TempDir Path tmp;
  Path repo;
  Path data;
  Cli cli;

  @BeforeEach
  void setUp() throws IOException {
    repo = tmp.resolve("repo");
    cli = Cli.withNewRepository(repo);
    data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("a.txt"), "a\n");
  }

  @Test
  void aMissingRepositoryIsExit10AndIsNotCreated() throws IOException {
    Path nowhere = tmp.resolve("nowhere");
    for (String[] args : List.of(new String[] {"snapshots"}, new String[] {"backup", data.toString()},
        new String[] {"restore", "latest", "--target", tmp.resolve("t").toString()}, new String[] {"check"})) {
      Cli.Result r = Cli.on(nowhere).run(args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(10);
      assertThat(r.err()).isEqualTo("holdfast: no repository at " + nowhere + ": there is no such directory\n");
    }
    assertThat(nowhere).doesNotExist();
    Cli.Result empty = Cli.on(Files.createDirectories(tmp.resolve("empty"))).run("ls", "latest");
    assertThat(empty.exit()).isEqualTo(10);
    assertThat(empty.err()).contains("no config file", "holdfast init");
  }

  @Test
  void aWrongPasswordIsExit12AndIsNeverPrinted() {
    cli.env.put(PasswordSource.HOLDFAST_PASSWORD, "not-the-password");
    for (String[] args : List.of(new String[] {"snapshots"}, new String[] {"backup", data.toString()},
        new String[] {"restore", "latest", "--target", tmp.resolve("t").toString()})) {
      Cli.Result r = cli.run(args);
      assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(12);
      assertThat(r.err()).contains("wrong password").doesNotContain("not-the-password").doesNotContain("\tat ");
      assertThat(r.err().lines()).hasSize(1);
    }
  }

  @Test
  void anExclusiveLockHeldElsewhereIsExit11() {
    try (Repository r = Cli.open(repo); RepositoryLock lock = RepositoryLock.acquire(r, true)) {
      Cli.Result backup = cli.run("backup", data.toString());
      assertThat(backup.exit()).isEqualTo(11);
      assertThat(backup.err()).contains("locked", lock.id().shortHex());
      assertThat(cli.run("snapshots").exit()).isEqualTo(11);
      assertThat(cli.run("check").exit()).isEqualTo(11);
    }
    assertThat(cli.run("snapshots").exit()).isZero();
  }

  /**
   * Tests run as root, who reads a file of mode 000. What even root cannot read is a path longer
   * than PATH_MAX (4096 bytes), which the JVM hands to the kernel whole: here a file 22
   * directories of 200 characters deep, built as two halves that are each short enough, the
   * second then moved into the first.
   */
  @Test
  void aBackupThatCouldNotReadSomeFilesIsSavedWithExit3() throws Exception {
    String half = String.join("/", java.util.Collections.nCopies(11, "d".repeat(200)));
    sh(data, "mkdir -p deep/" + half + " other/" + half + " && echo x > other/" + half + "/file"
        + " && mv other/" + "d".repeat(200) + " deep/" + half + "/ && rmdir other");
    try {
      Cli.Result r = cli.run("backup", "--json", data.toString());
      assertThat(r.exit()).as(r.err()).isEqualTo(3);
      var json = RoundTripTest.JSON.readTree(r.out());
      assertThat(json.get("snapshot_id").isNull()).isFalse();
      assertThat(json.get("datasets").get(0).get("unreadable").asLong()).isPositive();
      assertThat(r.err()).contains("saved, but", "could not be read");
      try (Repository opened = Cli.open(repo)) {
        assertThat(opened.snapshots()).hasSize(1);
      }
    } finally {
      sh(data, "rm -rf deep"); // @TempDir's own cleanup cannot walk it
    }
  }

  private static void sh(Path dir, String script) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).inheritIO().start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  private static BackupReport report(long unreadable, Failure failure) {
    DatasetReport d = new DatasetReport("data", "live", ConsistencyLevel.NONE, 1, 0, 0, 2, 2, Instant.EPOCH, Map.of(),
        unreadable);
    return new BackupReport("default", failure == null ? Optional.of("ab".repeat(32)) : Optional.empty(),
        List.of(new PhaseChange(Phase.INITIALIZING, Instant.EPOCH)), Duration.ZERO, List.of(d), List.of(),
        List.of(), Optional.ofNullable(failure));
  }

  @Test
  void exitCodesFollowTheReportAndTheCauseOfItsFailure() {
    assertThat(ExitCode.of(report(0, null))).isEqualTo(ExitCode.OK);
    assertThat(ExitCode.of(report(2, null))).isEqualTo(ExitCode.PARTIAL);
    assertThat(ExitCode.of(report(0, new Failure(Phase.INITIALIZING, "repository", "x",
        new RepositoryNotFoundException("no config"))))).isEqualTo(ExitCode.NO_REPOSITORY);
    assertThat(ExitCode.of(report(0, new Failure(Phase.INITIALIZING, "repository", "x",
        new LockConflictException("locked"))))).isEqualTo(ExitCode.LOCK_FAILED);
    assertThat(ExitCode.of(report(0, new Failure(Phase.INITIALIZING, "repository", "x",
        new WrongPasswordException("wrong"))))).isEqualTo(ExitCode.WRONG_PASSWORD);
    assertThat(ExitCode.of(report(0, new Failure(Phase.RUNNING, "data", "disk", new IOException("disk")))))
        .isEqualTo(ExitCode.FAILURE);
    assertThat(ExitCode.of(new HoldfastException("backup failed", new WrongPasswordException("wrong"))))
        .isEqualTo(ExitCode.WRONG_PASSWORD);
    assertThat(ExitCode.of(new IllegalStateException("bug"))).isEqualTo(ExitCode.FAILURE);
    assertThat(List.of(ExitCode.values())).extracting(c -> c.code).containsExactly(0, 1, 3, 10, 11, 12);
  }

  @Test
  void usageErrorsAreExit1WithAHint() {
    Cli.Result r = cli.run("backup", "--snapshot", "frozen", data.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("holdfast: Invalid value for option '--snapshot'")
        .contains("Try 'holdfast backup --help'");
    assertThat(cli.run("frobnicate").err()).contains("Unmatched argument");
    assertThat(cli.run().exit()).isEqualTo(1);
  }

  @Test
  void withoutAPasswordOrATerminalItSaysHowToGiveOne() {
    cli.env.remove(PasswordSource.HOLDFAST_PASSWORD);
    Cli.Result r = cli.run("snapshots");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("holdfast: no password: set HOLDFAST_PASSWORD (or RESTIC_PASSWORD), give"
        + " --password-file, or run on a terminal to be asked\n");
  }

  @Test
  void verboseShowsTheStackTrace() {
    cli.env.put(PasswordSource.HOLDFAST_PASSWORD, "nope");
    String[] keys = {"org.slf4j.simpleLogger.defaultLogLevel", "org.slf4j.simpleLogger.log.io.holdfast.BackupRun",
        "org.slf4j.simpleLogger.log.io.holdfast.RestoreRun"};
    String[] before = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      before[i] = System.getProperty(keys[i]);
    }
    try {
      Cli.Result r = cli.run("-v", "snapshots");
      assertThat(r.exit()).isEqualTo(12);
      assertThat(r.err()).contains("WrongPasswordException", "\tat io.holdfast");
    } finally {
      // -v sets JVM-wide logger levels: keep them out of the other tests' loggers
      for (int i = 0; i < keys.length; i++) {
        if (before[i] == null) {
          System.clearProperty(keys[i]);
        } else {
          System.setProperty(keys[i], before[i]);
        }
      }
    }
  }
}
