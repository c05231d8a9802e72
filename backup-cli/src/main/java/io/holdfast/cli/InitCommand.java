package io.holdfast.cli;

import io.holdfast.HoldfastException;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.s3.S3BlobStore;
import io.holdfast.storage.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code holdfast init}: creates a version-2 repository; refuses where one exists. */
@Command(name = "init",
    description = "Create a new repository (restic format, version 2) in the repository directory.")
final class InitCommand implements Callable<Integer> {
  private final HoldfastCommand root;

  InitCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** What {@code --json} prints, as restic's {@code init --json}. */
  record Initialized(String messageType, String id, String repository) {}

  @Override
  public Integer call() {
    BlobStore store;
    String where;
    if (root.onS3()) {
      S3BlobStore s3 = root.s3Store();
      where = root.repositoryName();
      if (HoldfastCommand.holdsRepository(s3)) {
        throw new HoldfastException("a repository already exists at " + where);
      }
      root.newPassword();
      try {
        s3.createBucketIfMissing(); // as restic init does
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the bucket of " + where + ": " + e.getMessage(), e);
      }
      store = s3;
    } else {
      Path path = root.repositoryPath();
      if (Files.isDirectory(path) && HoldfastCommand.holdsRepository(HoldfastCommand.store(path))) {
        throw new HoldfastException("a repository already exists at " + path);
      }
      root.newPassword(); // before the directory is made: a failed prompt leaves nothing
      store = HoldfastCommand.store(path);
      where = path.toAbsolutePath().toString();
    }
    char[] password = root.newPassword();
    String id;
    try (Repository repo = Repository.init(store, password, ScryptParams.DEFAULT,
        RepositoryOptions.defaults(), Clock.systemDefaultZone())) {
      id = repo.config().id();
    }
    if (root.json) {
      root.printJson(new Initialized("initialized", id, where));
    } else {
      root.say("created holdfast repository " + id.substring(0, 10) + " at " + (root.onS3() ? where : root.repositoryPath()));
      root.say("");
      root.say("Please note that knowledge of your password is required to access the repository.");
      root.say("Losing your password means that your data is irrecoverably lost.");
    }
    return ExitCode.OK.code;
  }
}
