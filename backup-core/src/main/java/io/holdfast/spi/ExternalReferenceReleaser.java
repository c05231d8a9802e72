package io.holdfast.spi;

import java.io.IOException;

/**
 * Deletes data a snapshot keeps outside the repository (an EBS snapshot), once retention forgets
 * every Holdfast snapshot that references it. Opt-in: forget calls only the releasers it is given.
 *
 * <p>References are the {@link Snapshot#externalReferences()} entries recorded in each snapshot's
 * manifest. Forget offers a releaser only references that no kept snapshot records with the same
 * value, and only after the forgotten snapshot files are deleted; a failed release leaves the
 * external data in place and is reported, never retried silently. Implementations are thread-safe.
 */
public interface ExternalReferenceReleaser {
  /**
   * Whether {@code key}={@code value} names data this releaser deletes (say, an EBS snapshot id);
   * false for descriptive entries such as sizes or device names.
   */
  boolean owns(String key, String value);

  /** Deletes the data {@code value} names; data already gone counts as released. */
  void release(String key, String value) throws IOException;
}
