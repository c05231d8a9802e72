package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.spi.ConsistencyGate;
import io.holdfast.storage.InMemoryBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreRunReleaseFailureTest {
  @TempDir Path tmp;

  @Test
  void aRestoreThatFailsInsideTheHoldStillReportsAGateThatFailedToRelease() throws Exception {
    InMemoryBlobStore store = new InMemoryBlobStore();
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("notes.txt"), "remember\n");
    try (var repo = io.holdfast.internal.repo.Repository.init(store, "pw".toCharArray(), new ScryptParams(1024, 8, 1),
        RepositoryOptions.defaults(), Clock.systemUTC()); Archiver archiver = new Archiver(repo, 2)) {
      archiver.backup(List.of(new Archiver.Source("src", src)), null, List.of("plan:notes"), new BackupStats());
    }
    Path out = tmp.resolve("out");
    Files.createDirectories(out.resolve("src"));
    Files.writeString(out.resolve("src/other.txt"), "not empty: a REFUSE_NON_EMPTY restore fails\n");
    ConsistencyGate stuck = new ConsistencyGate() {
      @Override
      public String name() {
        return "stuck";
      }

      @Override
      public Hold acquire(Duration timeout) {
        return () -> {
          throw new IllegalStateException("cannot resume");
        };
      }
    };

    RestoreReport r = BackupEngine.run(RestorePlan.builder(Repository.on(store, "pw"::toCharArray))
        .targetRoot(out).gate(stuck).build());

    assertThat(r.failure()).isPresent();
    assertThat(r.warnings()).anyMatch(w -> w.contains("gate stuck failed to release"));
  }
}
