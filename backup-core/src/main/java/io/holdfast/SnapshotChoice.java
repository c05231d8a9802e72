package io.holdfast;

import io.holdfast.internal.repo.Repository;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Which snapshot a restore or an export reads: an id or unique id prefix, or {@code latest} among
 * the snapshots carrying all {@code tags}, at or before {@code asOf} when it is not null.
 */
record SnapshotChoice(String ref, Set<String> tags, Instant asOf) {
  SnapshotChoice {
    tags = Set.copyOf(tags);
  }

  /**
   * The chosen snapshot.
   *
   * @throws HoldfastException if none matches, or an id prefix matches several
   */
  Repository.Snapshot select(Repository repo) {
    if (!"latest".equals(ref)) {
      return repo.findSnapshot(ref);
    }
    Repository.Snapshot best = null;
    for (Repository.Snapshot s : repo.snapshots()) {
      List<String> have = s.file().tags() == null ? List.of() : s.file().tags();
      if (!have.containsAll(tags)) {
        continue;
      }
      if (asOf != null && s.time().toInstant().isAfter(asOf)) {
        continue;
      }
      best = s;
    }
    if (best == null) {
      throw new HoldfastException("no snapshot matches" + (tags.isEmpty() ? "" : " tags " + tags)
          + (asOf == null ? "" : " at or before " + asOf));
    }
    return best;
  }
}
