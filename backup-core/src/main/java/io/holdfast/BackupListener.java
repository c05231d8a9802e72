package io.holdfast;

/**
 * Hears what a running backup, restore, verify or prune does. Called from engine threads, possibly
 * several at once; must not block. What a listener throws is logged and otherwise ignored.
 */
public interface BackupListener {
  /** The operation named {@code plan} entered a phase. */
  default void phase(String plan, PhaseChange change) {}

  /**
   * How far a backup has come: files and bytes done so far (read or reused) over all datasets;
   * called a few times a second while it runs. A verify ({@code plan} is {@code "verify"}) and a
   * prune ({@code "prune"}) count packs as files: the packs read in full (and their bytes) in the
   * step their last {@link #status} named, or for a prune the packs repacked or deleted; called
   * once a pack is done.
   */
  default void progress(String plan, long files, long bytes) {}

  /**
   * A progress line of one dataset that is not counted in files or bytes (an EBS snapshot 40%
   * done, waiting for completion). A verify and a prune say each step they begin here, with
   * {@code dataset} {@code "repository"} ("data check: reading 40 of 40 packs").
   */
  default void status(String plan, String dataset, String message) {}

  /** A warning that also goes into the report. */
  default void warning(String plan, String message) {}
}
