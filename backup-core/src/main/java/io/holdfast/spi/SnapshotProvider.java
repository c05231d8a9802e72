package io.holdfast.spi;

import java.io.IOException;

/**
 * Freezes a dataset into a stable, read-only {@link Snapshot}. {@link #take()} is called inside
 * the plan's gate hold (except for pre-copy, below), for all datasets of the plan in parallel; the
 * gate is released only after every {@code take()} has returned.
 *
 * <p>What the engine does around {@code take()} depends on the {@link Capability}:
 * <ul>
 *   <li>{@link Capability#INSTANT}: the snapshot is stable after {@code take()} returns (a btrfs,
 *       LVM or ZFS snapshot, an EBS snapshot): the gate is released and the snapshot read after.
 *   <li>{@link Capability#PRE_COPY}: the snapshot is the live data, so {@code take()} is called
 *       once, before the gate. The engine reads it in full while the application runs, then again
 *       inside the hold, rereading only what changed since: the hold lasts as long as the change.
 *   <li>{@link Capability#NONE}: the snapshot is the live data; it is read to the end inside the
 *       hold.
 * </ul>
 */
public interface SnapshotProvider {
  /** How a provider freezes data. */
  enum Capability {
    INSTANT,
    PRE_COPY,
    NONE
  }

  /** A short name for reports and the manifest ({@code btrfs}, {@code live}, {@code precopy}). */
  String name();

  Capability capability();

  /**
   * Freezes the dataset now. Must not return before the snapshot is complete. The engine closes
   * the snapshot it returns, once, on every path: also one returned after another dataset failed
   * or after the plan's maximum hold passed (the gates do not wait for it past that).
   */
  Snapshot take() throws IOException;

  /**
   * Freezes the dataset now, knowing which plan, dataset and run it is for. The engine calls this
   * one; the default ignores the context and calls {@link #take()}.
   */
  default Snapshot take(SnapshotContext context) throws IOException {
    return take();
  }

  /**
   * Does, before the gates are acquired, the slow work a snapshot needs that does not have to
   * happen inside the hold (looking up which volumes a dataset is on), and returns the provider
   * whose {@code take(context)} the engine then calls for this run: this one by default, or one
   * bound to what was found. Providers stay immutable: what a run learns lives in the returned
   * one. Throwing fails the backup before anything is held.
   */
  default SnapshotProvider prepare(SnapshotContext context) throws IOException {
    return this;
  }
}
