package io.holdfast;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What retention needs to know of a snapshot: its id, its time with the offset it was recorded
 * in, the host that made it, its paths and tags. Immutable.
 *
 * @param id the full hex id of the snapshot file
 * @param time when the snapshot was taken, in the offset its snapshot file records; calendar
 *     buckets (hour, day, week...) are those of this offset, as restic's are
 */
public record SnapshotInfo(String id, ZonedDateTime time, String hostname, List<String> paths, Set<String> tags) {
  public SnapshotInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    hostname = hostname == null ? "" : hostname;
    paths = paths == null ? List.of() : List.copyOf(paths);
    tags = tags == null ? Set.of() : Set.copyOf(tags);
  }

  /** The plan named by the {@code plan:<name>} tag Holdfast writes, if the snapshot has one. */
  public Optional<String> plan() {
    return io.holdfast.internal.repo.SnapshotFile.planOf(new java.util.TreeSet<>(tags));
  }

  /** The first 8 hex digits of the id, as restic shows it. */
  public String shortId() {
    return id.length() > 8 ? id.substring(0, 8) : id;
  }
}
