package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.VerifyPlan.DataCheck;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.storage.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyRunTest {
  @TempDir Path tmp;
  final InMemoryBlobStore store = new InMemoryBlobStore();
  final Repository repository = Repository.on(store, "engine pw"::toCharArray);
  Id snapshot;

  @BeforeEach
  void oneSnapshot() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("notes.txt"), "remember\n");
    try (var repo = io.holdfast.internal.repo.Repository.init(store, "engine pw".toCharArray(),
        new ScryptParams(1024, 8, 1), RepositoryOptions.defaults(), Clock.systemUTC());
        Archiver archiver = new Archiver(repo, 2)) {
      snapshot = archiver.backup(List.of(new Archiver.Source("src", src)), null, List.of("plan:notes"), new BackupStats());
    }
  }

  private VerifyReport verifyAll() {
    return BackupEngine.run(VerifyPlan.builder(repository).readAllData().build());
  }

  @Test
  void aSoundRepositoryVerifiesOkAndLeavesNoLockBehind() throws Exception {
    VerifyReport r = verifyAll();
    assertThat(r.ok()).isTrue();
    assertThat(r.orThrow()).isSameAs(r);
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(r.readData()).isEqualTo("all");
    assertThat(r.snapshots()).isEqualTo(1);
    assertThat(r.packsRead()).isEqualTo(r.packs()).isPositive();
    assertThat(r.bytesRead()).isPositive();
    assertThat(r.damage().isEmpty()).isTrue();
    assertThat(store.list(FileType.LOCK.prefix())).isEmpty();
  }

  @Test
  void aVerifyTellsItsListenerEachStepAndThePacksItHasRead() {
    RecordingListener heard = new RecordingListener();
    VerifyReport r;
    try (BackupEngine engine = BackupEngine.builder().listener(heard).build()) {
      r = engine.verify(VerifyPlan.builder(repository).readAllData().build());
    }
    assertThat(r.ok()).isTrue();
    assertThat(heard.phases).containsExactly(Phase.INITIALIZING, Phase.INITIALIZED, Phase.RUNNING, Phase.SUCCEEDED);
    assertThat(heard.steps).containsExactly("repository: data check: reading " + r.packs() + " of " + r.packs() + " packs",
        "repository: structure check: 0 pack headers, then every snapshot's trees");
    assertThat(heard.done).hasSize(r.packsRead());
    assertThat(heard.most()).isEqualTo(new RecordingListener.Done(r.packsRead(), r.bytesRead()));
  }

  @Test
  void aDamagedPackFailsOrThrowNamingTheSnapshot() throws Exception {
    PackedBlob blob;
    try (var repo = io.holdfast.internal.repo.Repository.open(store, "engine pw".toCharArray(),
        RepositoryOptions.defaults(), Clock.systemUTC())) {
      blob = repo.lookup(BlobType.DATA, Id.hash("remember\n".getBytes(StandardCharsets.UTF_8)));
    }
    String key = FileType.PACK.key(blob.pack());
    byte[] bytes = store.get(key);
    bytes[(int) blob.offset() + 18] ^= 1;
    store.delete(key);
    store.put(key, bytes);

    VerifyReport structureOnly = BackupEngine.run(VerifyPlan.builder(repository).build());
    assertThat(structureOnly.ok()).isTrue(); // a flipped bit inside a blob needs the data read

    VerifyReport r = verifyAll();
    assertThat(r.ok()).isFalse();
    assertThat(r.failure()).isEmpty();
    assertThat(r.phase()).isEqualTo(Phase.SUCCEEDED); // the check ran; it found damage
    assertThat(r.dataProblems()).isNotEmpty();
    assertThat(r.damage().snapshots()).singleElement().satisfies(s -> {
      assertThat(s.id()).isEqualTo(snapshot.hex());
      assertThat(s.plan()).contains("notes");
      assertThat(s.paths()).extracting(VerifyReport.AffectedPath::path).containsExactly("/src/notes.txt");
    });
    assertThatThrownBy(r::orThrow).isInstanceOf(IntegrityException.class)
        .hasMessageContaining(snapshot.shortHex()).hasMessageContaining(blob.pack().shortHex());
    assertThat(store.list(FileType.LOCK.prefix())).isEmpty();
  }

  @Test
  void aWrongPasswordIsAFailureOfTheRunNotAProblemOfTheRepository() {
    VerifyReport r = BackupEngine.run(VerifyPlan.builder(Repository.on(store, "nope"::toCharArray)).build());
    assertThat(r.ok()).isFalse();
    assertThat(r.phase()).isEqualTo(Phase.FAILED);
    assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f.cause()).isInstanceOf(WrongPasswordException.class));
    assertThatThrownBy(r::orThrow).isInstanceOf(HoldfastException.class).hasCauseInstanceOf(WrongPasswordException.class);
  }

  @Test
  void aSubsetReportsWhatItRead() {
    VerifyReport r = BackupEngine.run(VerifyPlan.builder(repository).readData(DataCheck.parse("1/1")).build());
    assertThat(r.readData()).isEqualTo("1/1");
    assertThat(r.packsRead()).isEqualTo(r.packs());
  }

  /** A validator that checks every file the snapshot's index.txt lists exists beside it. */
  private static io.holdfast.spi.SnapshotValidator listedFilesExist(List<String> seen) {
    return new io.holdfast.spi.SnapshotValidator() {
      @Override
      public String name() {
        return "listed-files";
      }

      @Override
      public List<Finding> validate(Target snapshot, java.nio.file.FileSystem view) throws java.io.IOException {
        seen.add(snapshot.id() + " " + snapshot.plan().orElse("-"));
        assertThatThrownBy(() -> Files.writeString(view.getPath("/src/x"), "x"))
            .isInstanceOf(java.nio.file.ReadOnlyFileSystemException.class);
        List<Finding> out = new java.util.ArrayList<>();
        for (String name : Files.readAllLines(view.getPath("/src/index.txt"))) {
          if (!Files.exists(view.getPath("/src", name))) {
            out.add(new Finding("/src/" + name, "listed in index.txt but missing"));
          }
        }
        return out;
      }
    };
  }

  @Test
  void hostValidatorsSeeTheLatestSnapshotOfEachPlanReadOnlyAndTheirFindingsMakeTheReportNotOk() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src2"));
    Files.writeString(src.resolve("a.blob"), "a");
    Files.writeString(src.resolve("index.txt"), "a.blob\nb.blob\n");
    Id broken;
    try (var repo = io.holdfast.internal.repo.Repository.open(store, "engine pw".toCharArray(),
        RepositoryOptions.defaults(), Clock.systemUTC());
        Archiver archiver = new Archiver(repo, 2)) {
      broken = archiver.backup(List.of(new Archiver.Source("src", src)), null, List.of("plan:blobs"), new BackupStats());
    }
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    VerifyReport r = BackupEngine.run(VerifyPlan.builder(repository)
        .validator(new io.holdfast.spi.SnapshotValidator() {
          @Override
          public String name() {
            return "no-index";
          }

          @Override
          public List<Finding> validate(Target snapshot, java.nio.file.FileSystem view) throws java.io.IOException {
            if (snapshot.plan().equals(java.util.Optional.of("notes"))) {
              Files.readString(view.getPath("/src/index.txt")); // the notes snapshot has none: throws
            }
            return List.of();
          }
        })
        .validator(listedFilesExist(new java.util.ArrayList<>()))
        .build());
    assertThat(r.failure()).isEmpty();
    assertThat(r.ok()).isFalse();
    assertThat(r.problems()).isEmpty();
    assertThat(r.findings()).extracting(VerifyReport.Finding::validator, VerifyReport.Finding::snapshot,
        VerifyReport.Finding::path).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("no-index", snapshot.hex(), "/"),
            org.assertj.core.groups.Tuple.tuple("listed-files", snapshot.hex(), "/"),
            org.assertj.core.groups.Tuple.tuple("listed-files", broken.hex(), "/src/b.blob"));
    assertThat(r.findings()).filteredOn(f -> f.path().equals("/")).allMatch(f -> f.message().startsWith("validator failed"));
    assertThatThrownBy(r::orThrow).isInstanceOf(IntegrityException.class).hasMessageContaining("host validators");
    assertThat(store.list(FileType.LOCK.prefix())).isEmpty();

    Files.writeString(src.resolve("b.blob"), "b");
    try (var repo = io.holdfast.internal.repo.Repository.open(store, "engine pw".toCharArray(),
        RepositoryOptions.defaults(), Clock.systemUTC());
        Archiver archiver = new Archiver(repo, 2)) {
      archiver.backup(List.of(new Archiver.Source("src", src)), null, List.of("plan:blobs"), new BackupStats());
    }
    List<String> latestOnly = new java.util.concurrent.CopyOnWriteArrayList<>();
    VerifyReport fixed = BackupEngine.run(VerifyPlan.builder(repository).validator(listedFilesExist(latestOnly)).build());
    assertThat(latestOnly).hasSize(2).noneMatch(s -> s.startsWith(broken.hex())); // newest of each plan only
    assertThat(fixed.findings()).extracting(VerifyReport.Finding::snapshot).containsOnly(snapshot.hex());
    List<String> every = new java.util.concurrent.CopyOnWriteArrayList<>();
    BackupEngine.run(VerifyPlan.builder(repository).validator(listedFilesExist(every))
        .validatedSnapshots(VerifyPlan.ValidatedSnapshots.ALL).build());
    assertThat(every).hasSize(3);
  }
}
