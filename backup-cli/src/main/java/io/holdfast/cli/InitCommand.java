package io.holdfast.cli;

import io.holdfast.HoldfastException;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.posix.LocalBlobStore;
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
    Path path = root.repositoryPath();
    if (Files.isDirectory(path) && HoldfastCommand.holdsRepository(HoldfastCommand.store(path))) {
      throw new HoldfastException("a repository already exists at " + path);
    }
    char[] password = root.newPassword(); // before the directory is made: a failed prompt leaves nothing
    LocalBlobStore store = HoldfastCommand.store(path);
    String id;
    try (Repository repo = Repository.init(store, password, ScryptParams.DEFAULT,
        RepositoryOptions.defaults(), Clock.systemDefaultZone())) {
      id = repo.config().id();
    }
    if (root.json) {
      root.printJson(new Initialized("initialized", id, path.toAbsolutePath().toString()));
    } else {
      root.say("created holdfast repository " + id.substring(0, 10) + " at " + path);
      root.say("");
      root.say("Please note that knowledge of your password is required to access the repository.");
      root.say("Losing your password means that your data is irrecoverably lost.");
    }
    return ExitCode.OK.code;
  }
}
