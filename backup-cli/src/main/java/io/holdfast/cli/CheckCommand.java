package io.holdfast.cli;

import io.holdfast.HoldfastException;
import io.holdfast.internal.checker.StructureChecker;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code holdfast check}: the repository's structure (packs against the index, snapshots and
 * their trees against the index), under a shared lock. Data is not re-read yet.
 */
@Command(name = "check",
    description = {"Check the repository's structure.",
        "Every pack the index names must exist and agree with its header; every tree",
        "and data blob a snapshot needs must be in the index. File contents are not",
        "re-read. Exits 1 on any error."})
final class CheckCommand implements Callable<Integer> {
  private final HoldfastCommand root;

  CheckCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** An error in {@code --json} output. */
  record CheckError(String kind, String subject, String message) {}

  /** The object {@code check --json} prints. */
  record Summary(boolean ok, int snapshots, int trees, long dataBlobs, int packs, List<String> unindexedPacks,
      List<CheckError> errors) {
    static Summary of(StructureChecker.Result r) {
      return new Summary(r.ok(), r.snapshots(), r.trees(), r.dataBlobs(), r.packs(), r.unindexedPacks(),
          r.problems().stream().map(p -> new CheckError(p.kind().name().toLowerCase(Locale.ROOT), p.subject(), p.message()))
              .toList());
    }
  }

  @Override
  public Integer call() {
    StructureChecker.Result result;
    try (LockedRepository r = root.openLocked()) {
      root.say("checking snapshots, trees and packs");
      result = new StructureChecker(r.repo()).check();
    }
    if (root.json) {
      root.printJson(Summary.of(result));
    } else {
      for (String pack : result.unindexedPacks()) {
        root.say("pack " + pack + ": not referenced in any index");
      }
      if (!result.unindexedPacks().isEmpty()) {
        root.say(result.unindexedPacks().size() + " additional packs were found in the repository;"
            + " this is not an error (an interrupted backup leaves them)");
      }
      result.problems().forEach(p -> root.err.println("error: " + p.message()));
      root.say("checked " + result.snapshots() + " snapshots, " + result.trees() + " trees, "
          + result.dataBlobs() + " data blobs, " + result.packs() + " packs");
    }
    if (!result.ok()) {
      int n = result.problems().size();
      throw new HoldfastException("the repository contains " + n + (n == 1 ? " error" : " errors"));
    }
    root.say("no errors were found");
    return ExitCode.OK.code;
  }
}
