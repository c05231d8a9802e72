package io.holdfast;

import java.time.Duration;
import java.util.Objects;

/**
 * An immutable description of one prune: which repository, how much unused data may stay, whether
 * only to report, and how long to wait for other processes' locks. Built with {@link
 * #builder(Repository)}, checked when built.
 *
 * <p>A prune removes the packs no snapshot needs and repacks the partly used ones until at most
 * {@link #maxUnusedPercent()} of the repository's blob bytes are unused (restic's {@code
 * --max-unused} rule; default {@value #DEFAULT_MAX_UNUSED_PERCENT} %). It works on whatever snapshots exist:
 * remove snapshots first, then prune.
 */
public final class PrunePlan {
  /** The default share of unused bytes allowed to stay, in percent: restic's default. */
  public static final double DEFAULT_MAX_UNUSED_PERCENT = 5;

  private final Repository repository;
  private final double maxUnusedPercent;
  private final boolean dryRun;
  private final Duration lockWait;

  private PrunePlan(Builder b) {
    this.repository = b.repository;
    this.maxUnusedPercent = b.maxUnusedPercent;
    this.dryRun = b.dryRun;
    this.lockWait = b.lockWait;
  }

  public static Builder builder(Repository repository) {
    return new Builder(repository);
  }

  public Repository repository() {
    return repository;
  }

  /** The share of unused blob bytes that may stay in partly used packs, 0 to 100; 100 never repacks. */
  public double maxUnusedPercent() {
    return maxUnusedPercent;
  }

  /** True to report what would be removed and repacked, changing nothing. */
  public boolean dryRun() {
    return dryRun;
  }

  /** How long to retry while another process holds a lock; zero fails at once. */
  public Duration lockWait() {
    return lockWait;
  }

  /** Builds a {@link PrunePlan}; not thread-safe. */
  public static final class Builder {
    private final Repository repository;
    private double maxUnusedPercent = DEFAULT_MAX_UNUSED_PERCENT;
    private boolean dryRun;
    private Duration lockWait = Duration.ZERO;

    private Builder(Repository repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
    }

    /**
     * @throws IllegalArgumentException unless {@code percent} is between 0 and 100
     */
    public Builder maxUnusedPercent(double percent) {
      if (!(percent >= 0 && percent <= 100)) {
        throw new IllegalArgumentException("max unused must be between 0 and 100 %, got " + percent);
      }
      this.maxUnusedPercent = percent;
      return this;
    }

    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * @throws IllegalArgumentException if {@code wait} is negative
     */
    public Builder lockWait(Duration wait) {
      if (Objects.requireNonNull(wait, "wait").isNegative()) {
        throw new IllegalArgumentException("lock wait must not be negative, got " + wait);
      }
      this.lockWait = wait;
      return this;
    }

    public PrunePlan build() {
      return new PrunePlan(this);
    }
  }
}
