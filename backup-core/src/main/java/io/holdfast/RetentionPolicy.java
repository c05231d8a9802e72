package io.holdfast;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which snapshots to keep: restic's {@code forget} policy. Immutable and thread-safe; built with
 * {@link #builder()}, checked when built, changed with {@link #toBuilder()}.
 *
 * <p>Snapshots are first grouped (by plan and host unless {@link Builder#groupBy} says otherwise)
 * and each group is judged on its own, newest snapshot first. A snapshot stays if any rule keeps
 * it; the rules, as restic's:
 * <ul>
 *   <li>{@code last N}: the N newest snapshots;
 *   <li>{@code hourly/daily/weekly/monthly/yearly N}: for the N most recent hours (days, ISO weeks
 *       starting Monday, months, years) that have snapshots, the newest snapshot of each. Buckets
 *       are the calendar of the offset each snapshot recorded its time in, so a day is the
 *       snapshot's local day; in the hour a clock falls back, both local hours 01:xx count as one;
 *   <li>{@code within D}: every snapshot newer than D before the newest snapshot of the group that
 *       is not in the future (by the clock given to {@link #apply}); future snapshots are always
 *       kept by this rule. D is in years, months, days and hours; months and years are calendar
 *       ones, counted as Go's {@code AddDate} counts them (March 31 minus a month is March 2 or 3);
 *   <li>{@code tag T}: every snapshot carrying any of the keep-tags; a keep-tag {@code a,b} is a
 *       list, as in restic, and keeps the snapshots that carry all of its tags.
 * </ul>
 * Of snapshots with the same time, the one with the greater id counts as the newer. An
 * {@linkplain #isEmpty() empty} policy keeps everything; {@link ForgetPlan} refuses one, as restic
 * refuses to forget without a policy.
 */
public final class RetentionPolicy {
  /** What snapshots are grouped by before the policy is applied to each group. */
  public enum GroupBy {
    /** The {@code plan:<name>} tag. */
    PLAN,
    /** The snapshot's hostname. */
    HOST,
    /** The snapshot's set of paths. */
    PATHS,
    /** The snapshot's set of tags. */
    TAGS
  }

  /**
   * A keep-within span in restic's units: years, months, days and hours ({@code 2y5m7d3h}).
   * Years and months are calendar ones; days are 24 hours of the snapshot's offset.
   */
  public record Within(int years, int months, int days, int hours) {
    private static final Pattern PART = Pattern.compile("(\\d+)([ymdh])");

    public Within {
      if (years < 0 || months < 0 || days < 0 || hours < 0) {
        throw new IllegalArgumentException("keep-within parts must not be negative: " + years + "y" + months + "m"
            + days + "d" + hours + "h");
      }
    }

    /** Reads restic's form: number-unit pairs with units {@code y m d h}, e.g. {@code 2d12h}. */
    public static Within parse(String text) {
      String s = Objects.requireNonNull(text, "text").strip();
      int[] v = new int[4];
      Matcher m = PART.matcher(s);
      int at = 0;
      while (at < s.length()) {
        if (!m.find(at) || m.start() != at) {
          throw new IllegalArgumentException("'" + text + "' is not a keep-within span: write e.g. 2d12h or 1y6m");
        }
        int i = "ymdh".indexOf(m.group(2));
        try {
          v[i] = Math.addExact(v[i], Integer.parseInt(m.group(1)));
        } catch (ArithmeticException | NumberFormatException e) {
          throw new IllegalArgumentException("'" + text + "': " + m.group(0) + " is too large", e);
        }
        at = m.end();
      }
      if (at == 0) {
        throw new IllegalArgumentException("'" + text + "' is not a keep-within span: write e.g. 2d12h or 1y6m");
      }
      return new Within(v[0], v[1], v[2], v[3]);
    }

    /**
     * A span of whole hours.
     *
     * @throws IllegalArgumentException if {@code d} is negative or not a whole number of hours
     */
    public static Within of(Duration d) {
      if (d.isNegative() || !d.equals(Duration.ofHours(d.toHours()))) {
        throw new IllegalArgumentException("keep-within must be a whole, non-negative number of hours, got " + d);
      }
      return new Within(0, 0, Math.toIntExact(d.toDays()), (int) (d.toHours() % 24));
    }

    boolean isZero() {
      return years == 0 && months == 0 && days == 0 && hours == 0;
    }

    /**
     * The instant {@code this} before {@code newest}: years, months and days taken from its local
     * date in its offset, overflowing days rolled into the next month (Go's {@code AddDate}), then
     * the hours.
     */
    Instant before(ZonedDateTime newest) {
      LocalDate first = newest.toLocalDate().withDayOfMonth(1).minusMonths(12L * years + months);
      LocalDate day = first.plusDays(newest.getDayOfMonth() - 1L - days);
      return newest.with(day).toInstant().minus(Duration.ofHours(hours));
    }

    /** restic's form, e.g. {@code 2d12h}; {@code 0h} for an empty span. */
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      int[] v = {years, months, days, hours};
      for (int i = 0; i < 4; i++) {
        if (v[i] != 0) {
          b.append(v[i]).append("ymdh".charAt(i));
        }
      }
      return b.length() == 0 ? "0h" : b.toString();
    }
  }

  /** The counting rules, newest-first bucket keys in the snapshot's own calendar. */
  private enum Rule {
    LAST("last", t -> 0),
    HOURLY("hourly", t -> t.getYear() * 1_000_000L + t.getMonthValue() * 10_000L + t.getDayOfMonth() * 100L
        + t.getHour()),
    DAILY("daily", t -> t.getYear() * 10_000L + t.getMonthValue() * 100L + t.getDayOfMonth()),
    WEEKLY("weekly", t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100L + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)),
    MONTHLY("monthly", t -> t.getYear() * 100L + t.getMonthValue()),
    YEARLY("yearly", t -> t.getYear());

    final String label;
    final ToLongFunction<ZonedDateTime> bucket;

    Rule(String label, ToLongFunction<ZonedDateTime> bucket) {
      this.label = label;
      this.bucket = bucket;
    }
  }

  private static final Comparator<SnapshotInfo> NEWEST_FIRST = Comparator
      .comparing((SnapshotInfo s) -> s.time().toInstant()).thenComparing(SnapshotInfo::id).reversed();

  private final int[] counts;
  private final Within within;
  private final Set<String> keepTags;
  private final Set<GroupBy> groupBy;

  private RetentionPolicy(Builder b) {
    this.counts = b.counts.clone();
    this.within = b.within == null || b.within.isZero() ? null : b.within;
    this.keepTags = Set.copyOf(b.keepTags);
    this.groupBy = b.groupBy.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.groupBy));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    System.arraycopy(counts, 0, b.counts, 0, counts.length);
    b.within = within;
    b.keepTags.addAll(keepTags);
    b.groupBy.clear();
    b.groupBy.addAll(groupBy);
    return b;
  }

  public int keepLast() {
    return counts[Rule.LAST.ordinal()];
  }

  public int keepHourly() {
    return counts[Rule.HOURLY.ordinal()];
  }

  public int keepDaily() {
    return counts[Rule.DAILY.ordinal()];
  }

  public int keepWeekly() {
    return counts[Rule.WEEKLY.ordinal()];
  }

  public int keepMonthly() {
    return counts[Rule.MONTHLY.ordinal()];
  }

  public int keepYearly() {
    return counts[Rule.YEARLY.ordinal()];
  }

  /** The keep-within span, or null if none. */
  public Within keepWithin() {
    return within;
  }

  public Set<String> keepTags() {
    return keepTags;
  }

  public Set<GroupBy> groupBy() {
    return groupBy;
  }

  /** True if no rule is set: such a policy keeps every snapshot. */
  public boolean isEmpty() {
    for (int c : counts) {
      if (c > 0) {
        return false;
      }
    }
    return within == null && keepTags.isEmpty();
  }

  /**
   * Decides for every snapshot whether it stays, and why. Pure: reads nothing but its arguments.
   *
   * @param clock "now", for the keep-within rule only: snapshots after it are in the future
   * @return one decision per snapshot, by group (groups in the order of their names), newest first
   */
  public List<RetentionDecision> apply(List<SnapshotInfo> snapshots, Clock clock) {
    Instant now = clock.instant();
    Map<String, List<SnapshotInfo>> groups = new TreeMap<>();
    for (SnapshotInfo s : snapshots) {
      groups.computeIfAbsent(groupOf(s), g -> new ArrayList<>()).add(s);
    }
    List<RetentionDecision> out = new ArrayList<>(snapshots.size());
    groups.forEach((group, members) -> {
      members.sort(NEWEST_FIRST);
      out.addAll(applyToGroup(group, members, now));
    });
    return out;
  }

  private List<RetentionDecision> applyToGroup(String group, List<SnapshotInfo> newestFirst, Instant now) {
    List<RetentionDecision> out = new ArrayList<>(newestFirst.size());
    if (isEmpty()) {
      newestFirst.forEach(s -> out.add(new RetentionDecision(s, group, true, List.of("empty policy keeps everything"))));
      return out;
    }
    Rule[] rules = Rule.values();
    int[] left = counts.clone();
    long[] lastKey = new long[rules.length];
    boolean[] kept = new boolean[rules.length];
    Instant withinFrom = null;
    if (within != null) {
      withinFrom = newestFirst.stream().filter(s -> !s.time().toInstant().isAfter(now)).findFirst()
          .map(s -> within.before(s.time())).orElse(null);
    }
    for (SnapshotInfo s : newestFirst) {
      List<String> reasons = new ArrayList<>();
      for (Rule r : rules) {
        int i = r.ordinal();
        if (left[i] <= 0) {
          continue;
        }
        long key = r == Rule.LAST ? 0 : r.bucket.applyAsLong(s.time());
        if (r == Rule.LAST || !kept[i] || key != lastKey[i]) {
          kept[i] = true;
          lastKey[i] = key;
          left[i]--;
          reasons.add(r.label + " #" + (counts[i] - left[i]));
        }
      }
      if (within != null) {
        Instant t = s.time().toInstant();
        if (t.isAfter(now) || (withinFrom != null && t.isAfter(withinFrom))) {
          reasons.add("within " + within);
        }
      }
      keepTags.stream().filter(t -> s.tags().containsAll(List.of(t.split(",")))).sorted()
          .forEach(t -> reasons.add("tag " + t));
      boolean keep = !reasons.isEmpty();
      out.add(new RetentionDecision(s, group, keep, keep ? reasons : List.of(RetentionDecision.NO_RULE)));
    }
    return out;
  }

  private String groupOf(SnapshotInfo s) {
    List<String> parts = new ArrayList<>();
    for (GroupBy g : GroupBy.values()) {
      if (!groupBy.contains(g)) {
        continue;
      }
      parts.add(switch (g) {
        case PLAN -> "plan=" + s.plan().orElse("");
        case HOST -> "host=" + s.hostname();
        case PATHS -> "paths=" + s.paths().stream().sorted().collect(Collectors.joining(",", "[", "]"));
        case TAGS -> "tags=" + s.tags().stream().sorted().collect(Collectors.joining(",", "[", "]"));
      });
    }
    return String.join(" ", parts);
  }

  /** The policy in words, as restic prints it: {@code keep 7 daily, 4 weekly snapshots, within 2d}. */
  @Override
  public String toString() {
    if (isEmpty()) {
      return "keep everything (empty policy)";
    }
    List<String> parts = new ArrayList<>();
    for (Rule r : Rule.values()) {
      if (counts[r.ordinal()] > 0) {
        parts.add(counts[r.ordinal()] + " " + r.label);
      }
    }
    StringBuilder b = new StringBuilder("keep");
    if (!parts.isEmpty()) {
      b.append(' ').append(String.join(", ", parts)).append(" snapshots");
    }
    if (within != null) {
      b.append(parts.isEmpty() ? " " : ", ").append("within ").append(within).append(" of the newest");
    }
    if (!keepTags.isEmpty()) {
      b.append(parts.isEmpty() && within == null ? " " : ", ").append("tagged ")
          .append(keepTags.stream().sorted().collect(Collectors.joining(" or ")));
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetentionPolicy p && java.util.Arrays.equals(counts, p.counts)
        && Objects.equals(within, p.within) && keepTags.equals(p.keepTags) && groupBy.equals(p.groupBy);
  }

  @Override
  public int hashCode() {
    return Objects.hash(java.util.Arrays.hashCode(counts), within, keepTags, groupBy);
  }

  /** Builds a {@link RetentionPolicy}; groups by plan and host unless told otherwise. Not thread-safe. */
  public static final class Builder {
    private final int[] counts = new int[Rule.values().length];
    private Within within;
    private final Set<String> keepTags = new LinkedHashSet<>();
    private final Set<GroupBy> groupBy = new LinkedHashSet<>(List.of(GroupBy.PLAN, GroupBy.HOST));

    private Builder() {}

    private Builder count(Rule r, int n) {
      if (n < 0) {
        throw new IllegalArgumentException("keep-" + r.label + " must not be negative, got " + n);
      }
      counts[r.ordinal()] = n;
      return this;
    }

    public Builder keepLast(int n) {
      return count(Rule.LAST, n);
    }

    public Builder keepHourly(int n) {
      return count(Rule.HOURLY, n);
    }

    public Builder keepDaily(int n) {
      return count(Rule.DAILY, n);
    }

    public Builder keepWeekly(int n) {
      return count(Rule.WEEKLY, n);
    }

    public Builder keepMonthly(int n) {
      return count(Rule.MONTHLY, n);
    }

    public Builder keepYearly(int n) {
      return count(Rule.YEARLY, n);
    }

    /** Keeps every snapshot newer than {@code span} before the newest one of its group. */
    public Builder keepWithin(Within span) {
      this.within = Objects.requireNonNull(span, "span");
      return this;
    }

    /** {@link #keepWithin(Within)} of a whole number of hours. */
    public Builder keepWithin(Duration span) {
      return keepWithin(Within.of(span));
    }

    /**
     * Keeps every snapshot carrying {@code tag} (a snapshot with any keep-tag stays), or, for a
     * comma-separated list, every one carrying all of its tags.
     */
    public Builder keepTag(String tag) {
      if (tag == null || tag.isBlank() || List.of(tag.split(",", -1)).stream().anyMatch(String::isBlank)) {
        throw new IllegalArgumentException("keep-tag '" + tag + "' is empty or has an empty tag in its list");
      }
      keepTags.add(tag);
      return this;
    }

    /** Groups by exactly these keys (none: one group of every snapshot). */
    public Builder groupBy(Set<GroupBy> keys) {
      groupBy.clear();
      groupBy.addAll(keys);
      return this;
    }

    public RetentionPolicy build() {
      return new RetentionPolicy(this);
    }
  }
}
