package io.holdfast;

import io.holdfast.spi.ConsistencyGate;
import io.holdfast.spi.Dataset;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to restore and where: a snapshot (by id, {@code latest}, tags, or as of an instant), which
 * datasets and paths, the target (a new root, or the datasets' original locations), how to treat a
 * target that holds data, and the gates of the application whose data is replaced. Immutable.
 */
public final class RestorePlan {
  /** What to do with a target that already holds data. */
  public enum Mode {
    /** Refuse a non-empty target (the default). */
    REFUSE_NON_EMPTY,
    /** Write over what is there; entries in the way are replaced, other files left alone. */
    OVERWRITE,
    /** Restore beside the target, then swap it into place with a rename. */
    ATOMIC_SWAP
  }

  private final Repository repository;
  private final String snapshot;
  private final Set<String> tags;
  private final Instant asOf;
  private final Set<String> datasets;
  private final List<String> includes;
  private final Path targetRoot;
  private final Map<String, Path> locations;
  private final Mode mode;
  private final List<ConsistencyGate> gates;
  private final String appVersion;
  private final boolean allowVersionMismatch;
  private final int parallelism;

  private RestorePlan(Builder b) {
    this.repository = b.repository;
    this.snapshot = b.snapshot;
    this.tags = Set.copyOf(b.tags);
    this.asOf = b.asOf;
    this.datasets = Set.copyOf(b.datasets);
    this.includes = List.copyOf(b.includes);
    this.targetRoot = b.targetRoot;
    this.locations = Map.copyOf(b.locations);
    this.mode = b.mode;
    this.gates = List.copyOf(b.gates);
    this.appVersion = b.appVersion;
    this.allowVersionMismatch = b.allowVersionMismatch;
    this.parallelism = b.parallelism;
  }

  public static Builder builder(Repository repository) {
    return new Builder(repository);
  }

  public Repository repository() {
    return repository;
  }

  /** A snapshot id (or unique prefix), or {@code latest}. */
  public String snapshot() {
    return snapshot;
  }

  /** The snapshot must carry all these tags. */
  public Set<String> tags() {
    return tags;
  }

  /** Pick the latest snapshot at or before this instant; null for no limit. */
  public Instant asOf() {
    return asOf;
  }

  /** Dataset names to restore; empty means all. */
  public Set<String> datasets() {
    return datasets;
  }

  /** Path globs (relative to a dataset, e.g. {@code docs/**}); empty means everything. */
  public List<String> includes() {
    return includes;
  }

  /** Each dataset restores to {@code targetRoot/<dataset>}; null for original locations. */
  public Path targetRoot() {
    return targetRoot;
  }

  /** Original locations by dataset name. */
  public Map<String, Path> locations() {
    return locations;
  }

  public Mode mode() {
    return mode;
  }

  public List<ConsistencyGate> gates() {
    return gates;
  }

  /** The running application's version, compared with the snapshot's; null to skip the check. */
  public String appVersion() {
    return appVersion;
  }

  public boolean allowVersionMismatch() {
    return allowVersionMismatch;
  }

  public int parallelism() {
    return parallelism;
  }

  /** Builds a {@link RestorePlan}; not thread-safe. */
  public static final class Builder {
    private final Repository repository;
    private String snapshot = "latest";
    private final Set<String> tags = new LinkedHashSet<>();
    private Instant asOf;
    private final Set<String> datasets = new LinkedHashSet<>();
    private final List<String> includes = new ArrayList<>();
    private Path targetRoot;
    private final Map<String, Path> locations = new LinkedHashMap<>();
    private Mode mode = Mode.REFUSE_NON_EMPTY;
    private final List<ConsistencyGate> gates = new ArrayList<>();
    private String appVersion;
    private boolean allowVersionMismatch;
    private int parallelism = Runtime.getRuntime().availableProcessors();

    private Builder(Repository repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
    }

    public Builder snapshot(String idOrLatest) {
      this.snapshot = Objects.requireNonNull(idOrLatest, "snapshot");
      return this;
    }

    public Builder tag(String tag) {
      tags.add(Objects.requireNonNull(tag, "tag"));
      return this;
    }

    /** Only snapshots of the backup plan named {@code name}. */
    public Builder plan(String name) {
      return tag(io.holdfast.internal.repo.SnapshotFile.planTag(name));
    }

    public Builder asOf(Instant instant) {
      this.asOf = Objects.requireNonNull(instant, "asOf");
      return this;
    }

    /** Restore this dataset ({@code *} for all, the default). */
    public Builder dataset(String name) {
      if (!"*".equals(name)) {
        datasets.add(Objects.requireNonNull(name, "dataset"));
      }
      return this;
    }

    public Builder include(String glob) {
      if (!"*".equals(glob) && !"**".equals(glob)) {
        includes.add(Objects.requireNonNull(glob, "glob"));
      }
      return this;
    }

    public Builder targetRoot(Path root) {
      this.targetRoot = Objects.requireNonNull(root, "targetRoot");
      return this;
    }

    /** Restores a dataset to its original location. */
    public Builder location(String dataset, Path path) {
      locations.put(Objects.requireNonNull(dataset, "dataset"), Objects.requireNonNull(path, "path"));
      return this;
    }

    /** Restores these datasets to their original locations ({@link Dataset#location()}). */
    public Builder originalLocations(List<? extends Dataset> all) {
      for (Dataset d : all) {
        d.location().ifPresent(p -> locations.put(d.name(), p));
      }
      return this;
    }

    public Builder mode(Mode m) {
      this.mode = Objects.requireNonNull(m, "mode");
      return this;
    }

    public Builder gate(ConsistencyGate gate) {
      gates.add(Objects.requireNonNull(gate, "gate"));
      return this;
    }

    public Builder appVersion(String version) {
      this.appVersion = version;
      return this;
    }

    /** Restore even if the snapshot was made by another application version. */
    public Builder allowVersionMismatch() {
      this.allowVersionMismatch = true;
      return this;
    }

    public Builder parallelism(int n) {
      this.parallelism = n;
      return this;
    }

    public RestorePlan build() {
      if (targetRoot == null && locations.isEmpty()) {
        throw new IllegalArgumentException("restore plan needs a target root or original locations");
      }
      if (targetRoot != null && !locations.isEmpty()) {
        throw new IllegalArgumentException("restore plan has both a target root and original locations; pick one");
      }
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
      }
      for (String g : includes) {
        try {
          java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("invalid include glob '" + g + "': " + e.getMessage(), e);
        }
      }
      return new RestorePlan(this);
    }
  }
}
