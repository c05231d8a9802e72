package io.holdfast;

/** The phases of a backup or restore, in the order DESIGN.md section 3 gives them. */
public enum Phase {
  /** Validating the plan, opening the repository, locking, loading the index, pre-copying. */
  INITIALIZING,
  /** Ready: the gates are being acquired, datasets frozen, gates released. */
  INITIALIZED,
  /** Reading the frozen views into the repository, or writing a restore. */
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** The outcome cannot be known (for instance the process lost track of a remote operation). */
  UNKNOWN
}
