package io.holdfast;

/** Hears what a running backup or restore does. Called from engine threads; must not block. */
public interface BackupListener {
  /** The operation named {@code plan} entered a phase. */
  default void phase(String plan, PhaseChange change) {}

  /**
   * How far a backup has come: files and bytes done so far (read or reused) over all datasets;
   * called a few times a second while it runs.
   */
  default void progress(String plan, long files, long bytes) {}

  /**
   * A progress line of one dataset that is not counted in files or bytes (an EBS snapshot 40%
   * done, waiting for completion).
   */
  default void status(String plan, String dataset, String message) {}

  /** A warning that also goes into the report. */
  default void warning(String plan, String message) {}
}
