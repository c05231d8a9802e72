package io.holdfast;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which snapshot to open: {@code snapshot} is a full id, a unique id prefix (restic's short ids
 * are 8 digits), or {@code latest} — the newest snapshot that carries every one of {@code tags}
 * and was taken at or before {@code asOf} (null for no limit). A snapshot named by id must meet
 * the same conditions. Immutable; the methods return new selectors.
 *
 * <pre>{@code
 * SnapshotSelector.latest()
 * SnapshotSelector.id("1a2b3c4d")
 * SnapshotSelector.asOf(yesterday).plan("calendar")
 * }</pre>
 */
public record SnapshotSelector(String snapshot, Set<String> tags, Instant asOf) {
  public SnapshotSelector {
    Objects.requireNonNull(snapshot, "snapshot");
    if (snapshot.isBlank()) {
      throw new IllegalArgumentException("snapshot must be an id, an id prefix or 'latest', not blank");
    }
    tags = Set.copyOf(tags);
  }

  /** The newest snapshot. */
  public static SnapshotSelector latest() {
    return new SnapshotSelector("latest", Set.of(), null);
  }

  /** The snapshot with this id or unique id prefix ({@code latest} also works). */
  public static SnapshotSelector id(String idOrPrefix) {
    return new SnapshotSelector(idOrPrefix, Set.of(), null);
  }

  /** The newest snapshot taken at or before {@code instant}. */
  public static SnapshotSelector asOf(Instant instant) {
    return new SnapshotSelector("latest", Set.of(), Objects.requireNonNull(instant, "instant"));
  }

  /** This selection, restricted to snapshots carrying {@code tag}. */
  public SnapshotSelector tag(String tag) {
    Set<String> more = new LinkedHashSet<>(tags);
    more.add(Objects.requireNonNull(tag, "tag"));
    return new SnapshotSelector(snapshot, more, asOf);
  }

  /** This selection, restricted to snapshots of the backup plan named {@code name}. */
  public SnapshotSelector plan(String name) {
    return tag(io.holdfast.internal.repo.SnapshotFile.planTag(Objects.requireNonNull(name, "name")));
  }
}
