package io.holdfast;

import io.holdfast.spi.SnapshotValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What to verify (DESIGN.md section 6): a repository's structure always — every pack the index
 * names exists and agrees with its header, every tree and data blob a snapshot needs is indexed —
 * and, as {@link DataCheck} chooses, the data: packs re-read in full, each checked against its
 * name, each blob decrypted, decompressed and hashed. Immutable and thread-safe; built with
 * {@link #builder(Repository)}, changed with {@link #toBuilder()}.
 *
 * <p>Not offered: choosing "the packs not checked for N days". That needs a record of when each
 * pack was last read, and the restic format has no place for one; a later version may keep it
 * beside the repository and add it as another {@link DataCheck}.
 *
 * <p>Host validators ({@link SnapshotValidator}) run after the repository checks, each on a
 * read-only view of the snapshots {@link ValidatedSnapshots} selects (by default the latest
 * snapshot of each plan); what they find makes the report not ok.
 *
 * <p>The check runs under a shared lock (a concurrent backup only adds files; a prune, which
 * removes them, takes the exclusive lock and is refused). It never writes to the repository but
 * its lock file.
 */
public final class VerifyPlan {
  private final Repository repository;
  private final DataCheck readData;
  private final int parallelism;
  private final Long seed;
  private final List<SnapshotValidator> validators;
  private final ValidatedSnapshots validatedSnapshots;

  private VerifyPlan(Builder b) {
    this.repository = b.repository;
    this.readData = b.readData;
    this.parallelism = b.parallelism;
    this.seed = b.seed;
    this.validators = List.copyOf(b.validators);
    this.validatedSnapshots = b.validatedSnapshots;
  }

  /** Which snapshots the host validators check. */
  public enum ValidatedSnapshots {
    /** The newest snapshot of each plan (snapshots without a plan tag form one group). */
    LATEST_PER_PLAN,
    /** Every snapshot in the repository. */
    ALL
  }

  public static Builder builder(Repository repository) {
    return new Builder(repository);
  }

  public Builder toBuilder() {
    Builder b = new Builder(repository).readData(readData).parallelism(parallelism);
    b.seed = seed;
    b.validators.addAll(validators);
    b.validatedSnapshots = validatedSnapshots;
    return b;
  }

  public Repository repository() {
    return repository;
  }

  /** Which packs are re-read; {@link DataCheck#none()} by default. */
  public DataCheck readData() {
    return readData;
  }

  /** How many packs are read at once (each holds at most one pack window in memory). */
  public int parallelism() {
    return parallelism;
  }

  /** The seed of the random choice of a {@link DataCheck#percent percentage}; empty for a fresh one each run. */
  public OptionalLong seed() {
    return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
  }

  /** The host validators, in the order they run; empty if none. */
  public List<SnapshotValidator> validators() {
    return validators;
  }

  public ValidatedSnapshots validatedSnapshots() {
    return validatedSnapshots;
  }

  @Override
  public String toString() {
    return "VerifyPlan[" + repository + ", readData=" + readData + "]";
  }

  /**
   * Which packs the data check re-reads: none, all, group {@code n} of {@code m} (restic's
   * {@code --read-data-subset n/m}: packs fall into {@code m} groups by the first byte of their id,
   * so checking groups 1..m in turn reads every pack exactly once), or a random percentage of
   * them. Immutable.
   */
  public static final class DataCheck {
    private static final DataCheck NONE = new DataCheck(0, 0, 0);
    private static final DataCheck ALL = new DataCheck(0, 0, 100);
    /** restic's limit: groups are chosen by one byte of the pack id. */
    public static final int MAX_GROUPS = 256;

    private final int group;
    private final int groups;
    private final double percent;

    private DataCheck(int group, int groups, double percent) {
      this.group = group;
      this.groups = groups;
      this.percent = percent;
    }

    /** Structure only: no pack is re-read. */
    public static DataCheck none() {
      return NONE;
    }

    /** Every pack is re-read. */
    public static DataCheck all() {
      return ALL;
    }

    /**
     * Group {@code n} (1-based) of {@code m}: the packs whose id's first byte modulo {@code m} is
     * {@code n - 1}.
     *
     * @throws IllegalArgumentException unless {@code 1 <= n <= m <= 256}
     */
    public static DataCheck group(int n, int m) {
      if (m < 1 || m > MAX_GROUPS || n < 1 || n > m) {
        throw new IllegalArgumentException("data subset must be n/m with 1 <= n <= m <= " + MAX_GROUPS
            + ", got " + n + "/" + m);
      }
      return new DataCheck(n, m, 0);
    }

    /**
     * A random {@code percent} of the packs (at least one when there are any), chosen afresh each
     * run unless the plan has a {@link Builder#seed seed}.
     *
     * @throws IllegalArgumentException unless {@code 0 < percent <= 100}
     */
    public static DataCheck percent(double percent) {
      if (!(percent > 0 && percent <= 100)) {
        throw new IllegalArgumentException("data subset percentage must be in (0, 100], got " + percent);
      }
      return percent == 100 ? ALL : new DataCheck(0, 0, percent);
    }

    /**
     * Parses restic's notation: {@code n/m} or {@code P%} ({@code 2.5%} too).
     *
     * @throws IllegalArgumentException for anything else, naming the forms accepted
     */
    public static DataCheck parse(String subset) {
      String s = subset.strip();
      try {
        if (s.endsWith("%")) {
          return percent(Double.parseDouble(s.substring(0, s.length() - 1)));
        }
        int slash = s.indexOf('/');
        if (slash > 0) {
          return group(Integer.parseInt(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1)));
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw new IllegalArgumentException("invalid data subset '" + subset + "': give n/m (e.g. 1/5) or a percentage (e.g. 10%)");
    }

    /** True unless this is {@link #none()}. */
    public boolean readsData() {
      return this != NONE;
    }

    /** The group number (1-based), or 0 when this is not a group. */
    public int group() {
      return group;
    }

    /** The number of groups, or 0 when this is not a group. */
    public int groups() {
      return groups;
    }

    /** The percentage of packs read: 0 for none or a group, 100 for all. */
    public double percent() {
      return percent;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DataCheck d && d.group == group && d.groups == groups && d.percent == percent;
    }

    @Override
    public int hashCode() {
      return Objects.hash(group, groups, percent);
    }

    /** {@code none}, {@code all}, {@code n/m} or {@code P%}. */
    @Override
    public String toString() {
      if (this == NONE) {
        return "none";
      }
      if (groups > 0) {
        return group + "/" + groups;
      }
      if (percent == 100) {
        return "all";
      }
      return (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent)) + "%";
    }
  }

  /** Builds a {@link VerifyPlan}; not thread-safe. */
  public static final class Builder {
    private final Repository repository;
    private DataCheck readData = DataCheck.none();
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private Long seed;
    private final List<SnapshotValidator> validators = new ArrayList<>();
    private ValidatedSnapshots validatedSnapshots = ValidatedSnapshots.LATEST_PER_PLAN;

    private Builder(Repository repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
    }

    public Builder readData(DataCheck check) {
      this.readData = Objects.requireNonNull(check, "readData");
      return this;
    }

    /** Same as {@code readData(DataCheck.all())}. */
    public Builder readAllData() {
      return readData(DataCheck.all());
    }

    public Builder parallelism(int n) {
      this.parallelism = n;
      return this;
    }

    /** Makes the random choice of a percentage repeatable (for tests, or to resume a rotation). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Adds a host validator; validators run one after another on each selected snapshot. */
    public Builder validator(SnapshotValidator validator) {
      validators.add(Objects.requireNonNull(validator, "validator"));
      return this;
    }

    /** Which snapshots the validators check; {@link ValidatedSnapshots#LATEST_PER_PLAN} by default. */
    public Builder validatedSnapshots(ValidatedSnapshots which) {
      this.validatedSnapshots = Objects.requireNonNull(which, "validatedSnapshots");
      return this;
    }

    /** @throws IllegalArgumentException if parallelism is below 1 */
    public VerifyPlan build() {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
      }
      return new VerifyPlan(this);
    }
  }
}
