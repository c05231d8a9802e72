package io.holdfast.cli;

import io.holdfast.BackupReport;
import io.holdfast.LockConflictException;
import io.holdfast.RepositoryNotFoundException;
import io.holdfast.WrongPasswordException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** The command's exit status, numbered as restic's so that scripts written for restic keep working. */
enum ExitCode {
  OK(0),
  /** Anything else that went wrong. */
  FAILURE(1),
  /** The backup was saved, but some files could not be read and are not in it. */
  PARTIAL(3),
  /** There is no repository at the given location. */
  NO_REPOSITORY(10),
  /** The repository is locked by another process. */
  LOCK_FAILED(11),
  /** The password opens none of the repository's keys. */
  WRONG_PASSWORD(12);

  final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /**
   * The status for an error: the first exception in its cause chain that has a status of its own
   * decides (an engine report's failure wraps the repository's exception), else {@link #FAILURE}.
   */
  static ExitCode of(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof RepositoryNotFoundException) {
        return NO_REPOSITORY;
      }
      if (t instanceof LockConflictException) {
        return LOCK_FAILED;
      }
      if (t instanceof WrongPasswordException) {
        return WRONG_PASSWORD;
      }
    }
    return FAILURE;
  }

  /** The status for a backup: by its failure's cause, or {@link #PARTIAL} when entries were left out. */
  static ExitCode of(BackupReport report) {
    if (report.failure().isPresent()) {
      return of(report.failure().get().cause());
    }
    if (!report.succeeded() || !report.errors().isEmpty()) {
      return FAILURE; // a gate that failed to release may have left the application held
    }
    return report.datasets().stream().anyMatch(d -> d.unreadable() > 0) ? PARTIAL : OK;
  }
}
