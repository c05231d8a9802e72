package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.storage.InMemoryBlobStore;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only a backup (or an import) initialises a repository marked createIfMissing; the runs that read fail instead. */
class ReadingRunsCreateNoRepositoryTest {
  @TempDir Path tmp;
  final InMemoryBlobStore store = new InMemoryBlobStore();
  final Repository repository = Repository.on(store, MemoryRepos.PASSWORD::toCharArray).createIfMissing();

  @Test
  void verifyOfAnAbsentRepositoryFailsAndWritesNothing() throws Exception {
    assertNotFound(BackupEngine.run(VerifyPlan.builder(repository).build()).failure());
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void restoreFromAnAbsentRepositoryFailsAndWritesNothing() throws Exception {
    assertNotFound(BackupEngine.run(RestorePlan.builder(repository).targetRoot(tmp.resolve("out")).build()).failure());
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void forgetInAnAbsentRepositoryFailsAndWritesNothing() throws Exception {
    assertNotFound(BackupEngine.run(ForgetPlan.builder(repository)
        .policy(RetentionPolicy.builder().keepLast(1).build()).build()).failure());
    assertThat(store.list("")).isEmpty();
  }

  private static void assertNotFound(Optional<Failure> failure) {
    assertThat(failure).isPresent();
    assertThat(failure.get().cause()).isInstanceOf(RepositoryNotFoundException.class);
  }
}
