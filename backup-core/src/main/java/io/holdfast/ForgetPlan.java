package io.holdfast;

import io.holdfast.spi.ExternalReferenceReleaser;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to forget: the repository, the {@link RetentionPolicy} that decides, optionally only the
 * snapshots of one plan, whether to only say what would go ({@link #dryRun()}), and the releasers
 * that delete external data (EBS snapshots) no remaining snapshot references any more. Immutable;
 * checked when built.
 */
public final class ForgetPlan {
  private final Repository repository;
  private final RetentionPolicy policy;
  private final String plan;
  private final boolean dryRun;
  private final List<ExternalReferenceReleaser> releasers;

  private ForgetPlan(Builder b) {
    this.repository = b.repository;
    this.policy = b.policy;
    this.plan = b.plan;
    this.dryRun = b.dryRun;
    this.releasers = List.copyOf(b.releasers);
  }

  public static Builder builder(Repository repository) {
    return new Builder(repository);
  }

  public Builder toBuilder() {
    Builder b = new Builder(repository);
    b.policy = policy;
    b.plan = plan;
    b.dryRun = dryRun;
    b.releasers.addAll(releasers);
    return b;
  }

  public Repository repository() {
    return repository;
  }

  public RetentionPolicy policy() {
    return policy;
  }

  /** Only snapshots of this plan (tag {@code plan:<name>}) are judged; empty for all snapshots. */
  public Optional<String> plan() {
    return Optional.ofNullable(plan);
  }

  /** True to decide and report without deleting a snapshot or releasing a reference. */
  public boolean dryRun() {
    return dryRun;
  }

  /** Offered, in order, each reference the forgotten snapshots leave unreferenced. */
  public List<ExternalReferenceReleaser> releasers() {
    return releasers;
  }

  /** Builds a {@link ForgetPlan}; not thread-safe. */
  public static final class Builder {
    private final Repository repository;
    private RetentionPolicy policy;
    private String plan;
    private boolean dryRun;
    private final List<ExternalReferenceReleaser> releasers = new ArrayList<>();

    private Builder(Repository repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
    }

    public Builder policy(RetentionPolicy p) {
      this.policy = Objects.requireNonNull(p, "policy");
      return this;
    }

    /** Judge only the snapshots of the plan named {@code name}; null for every snapshot. */
    public Builder plan(String name) {
      this.plan = name;
      return this;
    }

    public Builder dryRun(boolean d) {
      this.dryRun = d;
      return this;
    }

    public Builder releaser(ExternalReferenceReleaser r) {
      releasers.add(Objects.requireNonNull(r, "releaser"));
      return this;
    }

    public Builder releasers(List<? extends ExternalReferenceReleaser> all) {
      all.forEach(this::releaser);
      return this;
    }

    /**
     * Checks the settings and builds the plan.
     *
     * @throws IllegalArgumentException without a policy, or with an empty one: as restic, forget
     *     refuses to act without a rule (an empty policy would keep everything anyway)
     */
    public ForgetPlan build() {
      if (policy == null || policy.isEmpty()) {
        throw new IllegalArgumentException("no retention policy given: refusing to forget without a keep rule"
            + " (set keep-last, keep-hourly..keep-yearly, keep-within or keep-tag)");
      }
      if (plan != null && plan.isBlank()) {
        throw new IllegalArgumentException("the plan filter must not be blank");
      }
      return new ForgetPlan(this);
    }
  }
}
