package io.holdfast;

import io.holdfast.spi.ConsistencyGate;
import io.holdfast.spi.Dataset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An immutable description of one backup: its name, datasets, gates, repository, tags,
 * application version and limits. Built with {@link #builder(String)}, checked when built, changed
 * with {@link #toBuilder()}.
 */
public final class BackupPlan {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final String name;
  private final List<Dataset> datasets;
  private final List<ConsistencyGate> gates;
  private final Repository repository;
  private final Set<String> tags;
  private final String appVersion;
  private final Duration maxHold;
  private final int parallelism;
  private final RetentionPolicy retention;

  private BackupPlan(Builder b) {
    this.name = b.name;
    this.datasets = List.copyOf(b.datasets);
    this.gates = List.copyOf(b.gates);
    this.repository = b.repository;
    this.tags = Set.copyOf(b.tags);
    this.appVersion = b.appVersion;
    this.maxHold = b.maxHold;
    this.parallelism = b.parallelism;
    this.retention = b.retention;
  }

  /** A builder for a plan named {@code name} (letters, digits, '.', '_', '-'). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.datasets.addAll(datasets);
    b.gates.addAll(gates);
    b.repository = repository;
    b.tags.addAll(tags);
    b.appVersion = appVersion;
    b.maxHold = maxHold;
    b.parallelism = parallelism;
    b.retention = retention;
    return b;
  }

  public String name() {
    return name;
  }

  public List<Dataset> datasets() {
    return datasets;
  }

  /** Acquired in this order, released in reverse. */
  public List<ConsistencyGate> gates() {
    return gates;
  }

  public Repository repository() {
    return repository;
  }

  /** Extra tags; every snapshot also gets {@code holdfast} and {@code plan:<name>}. */
  public Set<String> tags() {
    return tags;
  }

  /** The application version recorded with the snapshot, or null. */
  public String appVersion() {
    return appVersion;
  }

  /** The longest the gates may be held; past it they are released and the backup fails. */
  public Duration maxHold() {
    return maxHold;
  }

  public int parallelism() {
    return parallelism;
  }

  /**
   * The policy {@link BackupScheduler} applies to this plan's snapshots after each successful
   * backup; empty if none. {@link BackupEngine#backup} itself never forgets.
   */
  public java.util.Optional<RetentionPolicy> retention() {
    return java.util.Optional.ofNullable(retention);
  }

  /** The tag every snapshot of this plan carries. */
  public String planTag() {
    return io.holdfast.internal.repo.SnapshotFile.planTag(name);
  }

  @Override
  public String toString() {
    return "BackupPlan[" + name + ", datasets " + datasets.stream().map(Dataset::name).toList() + "]";
  }

  /** The maximum hold of a plan whose builder was not given one. */
  public static final Duration DEFAULT_MAX_HOLD = Duration.ofMinutes(5);

  /** Builds a {@link BackupPlan}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private final List<Dataset> datasets = new ArrayList<>();
    private final List<ConsistencyGate> gates = new ArrayList<>();
    private Repository repository;
    private final Set<String> tags = new LinkedHashSet<>();
    private String appVersion;
    private Duration maxHold = DEFAULT_MAX_HOLD;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private RetentionPolicy retention;

    private Builder(String name) {
      this.name = name;
    }

    public Builder dataset(Dataset dataset) {
      datasets.add(Objects.requireNonNull(dataset, "dataset"));
      return this;
    }

    public Builder datasets(List<? extends Dataset> all) {
      all.forEach(this::dataset);
      return this;
    }

    public Builder gate(ConsistencyGate gate) {
      gates.add(Objects.requireNonNull(gate, "gate"));
      return this;
    }

    public Builder clearGates() {
      gates.clear();
      return this;
    }

    public Builder repository(Repository repo) {
      this.repository = Objects.requireNonNull(repo, "repository");
      return this;
    }

    public Builder tag(String tag) {
      tags.add(Objects.requireNonNull(tag, "tag"));
      return this;
    }

    public Builder appVersion(String version) {
      this.appVersion = version;
      return this;
    }

    public Builder maxHold(Duration d) {
      this.maxHold = Objects.requireNonNull(d, "maxHold");
      return this;
    }

    public Builder parallelism(int n) {
      this.parallelism = n;
      return this;
    }

    /** The retention to apply after each scheduled backup; null for none. */
    public Builder retention(RetentionPolicy policy) {
      this.retention = policy;
      return this;
    }

    /**
     * Checks the settings and builds the plan.
     *
     * @throws IllegalArgumentException naming the first setting that is wrong
     */
    public BackupPlan build() {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("plan name '" + name
            + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
      }
      if (datasets.isEmpty()) {
        throw new IllegalArgumentException("plan " + name + " has no datasets");
      }
      Set<String> seen = new HashSet<>();
      for (Dataset d : datasets) {
        String n = d.name();
        if (n == null || !NAME.matcher(n).matches()) {
          throw new IllegalArgumentException("plan " + name + ": dataset name '" + n
              + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (!seen.add(n)) {
          throw new IllegalArgumentException("plan " + name + ": two datasets are named '" + n + "'");
        }
        Objects.requireNonNull(d.provider(), "plan " + name + ": dataset " + n + " has no provider");
      }
      if (repository == null) {
        throw new IllegalArgumentException("plan " + name + " has no repository");
      }
      if (maxHold.isNegative() || maxHold.isZero()) {
        throw new IllegalArgumentException("plan " + name + ": maxHold must be positive, got " + maxHold);
      }
      if (parallelism < 1) {
        throw new IllegalArgumentException("plan " + name + ": parallelism must be at least 1, got " + parallelism);
      }
      for (String t : tags) {
        if (t.isBlank() || t.contains(",")) {
          throw new IllegalArgumentException("plan " + name + ": tag '" + t + "' is empty or contains ','");
        }
      }
      return new BackupPlan(this);
    }
  }
}
