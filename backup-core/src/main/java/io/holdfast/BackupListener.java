package io.holdfast;

/** Hears what a running backup or restore does. Called from engine threads; must not block. */
public interface BackupListener {
  /** The operation named {@code plan} entered a phase. */
  default void phase(String plan, PhaseChange change) {}

  /** A warning that also goes into the report. */
  default void warning(String plan, String message) {}
}
