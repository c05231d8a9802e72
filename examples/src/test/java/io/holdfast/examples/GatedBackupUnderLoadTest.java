package io.holdfast.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.BackupEngine;
import io.holdfast.BackupPlan;
import io.holdfast.BackupReport;
import io.holdfast.Repository;
import io.holdfast.RestorePlan;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.posix.CallbackGate;
import io.holdfast.posix.DirectoryDataset;
import io.holdfast.posix.LocalBlobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of the gate, under load: a writer keeps changing an index and its blob files; every
 * gated backup restores to data that agrees with itself, and the same backups without the gate do
 * not (so the check can fail).
 */
class GatedBackupUnderLoadTest {
  @TempDir Path tmp;

  private Repository repository(Path dir) throws Exception {
    LocalBlobStore store = new LocalBlobStore(dir);
    io.holdfast.internal.repo.Repository.init(store, "pw".toCharArray(), new ScryptParams(1024, 8, 1),
        RepositoryOptions.defaults(), Clock.systemUTC()).close();
    return Repository.on(store, "pw"::toCharArray);
  }

  @Test
  void twentyGatedPreCopyBackupsUnderLoadAllRestoreConsistent() throws Exception {
    Repository repo = repository(tmp.resolve("repo"));
    List<String> violations = new ArrayList<>();
    try (CalendarServer server = new CalendarServer(tmp.resolve("cal"), 200, 1);
        BackupEngine engine = BackupEngine.builder().build()) {
      BackupPlan plan = BackupPlan.builder("cal").repository(repo).maxHold(Duration.ofSeconds(20))
          .dataset(DirectoryDataset.preCopy("cal", server.root()))
          .gate(CallbackGate.of("writer", server::pause, server::resume)).build();
      long before = server.changes();
      for (int i = 0; i < 20; i++) {
        BackupReport r = engine.backup(plan).orThrow();
        Path out = tmp.resolve("restore-" + i);
        engine.restore(RestorePlan.builder(repo).snapshot(r.snapshotId().orElseThrow()).targetRoot(out).build())
            .orThrow();
        violations.addAll(CalendarServer.check(out.resolve("cal")));
      }
      assertThat(server.changes() - before).as("the writer kept writing").isGreaterThan(20);
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theSameBackupsWithoutTheGateCatchTheWriterMidChange() throws Exception {
    Repository repo = repository(tmp.resolve("repo"));
    List<String> violations = new ArrayList<>();
    try (CalendarServer server = new CalendarServer(tmp.resolve("cal"), 200, 2);
        BackupEngine engine = BackupEngine.builder().build()) {
      BackupPlan plan = BackupPlan.builder("cal").repository(repo)
          .dataset(DirectoryDataset.live("cal", server.root())).build();
      for (int i = 0; i < 20 && violations.isEmpty(); i++) {
        BackupReport r = engine.backup(plan).orThrow();
        Path out = tmp.resolve("restore-" + i);
        engine.restore(RestorePlan.builder(repo).snapshot(r.snapshotId().orElseThrow()).targetRoot(out).build())
            .orThrow();
        violations.addAll(CalendarServer.check(out.resolve("cal")));
      }
    }
    assertThat(violations).as("an ungated live copy of a busy writer is inconsistent").isNotEmpty();
  }
}
