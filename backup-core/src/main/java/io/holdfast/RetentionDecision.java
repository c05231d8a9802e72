package io.holdfast;

import java.util.List;

/**
 * What a {@link RetentionPolicy} decided for one snapshot, and why.
 *
 * @param group the group the snapshot was judged in, e.g. {@code plan=calendar host=db1}; empty
 *     when the policy does not group
 * @param keep true if the snapshot stays
 * @param reasons every rule that keeps it ({@code "last #1"}, {@code "daily #3"}, {@code "within
 *     2d"}, {@code "tag nightly"}), or {@code ["no rule keeps it"]} for a snapshot to forget
 */
public record RetentionDecision(SnapshotInfo snapshot, String group, boolean keep, List<String> reasons) {
  /** The reason of a snapshot that no rule keeps. */
  public static final String NO_RULE = "no rule keeps it";

  public RetentionDecision {
    reasons = List.copyOf(reasons);
  }
}
