package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.RetentionPolicy.GroupBy;
import io.holdfast.RetentionPolicy.Within;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetentionPolicyTest {
  static final Clock FAR_FUTURE = Clock.fixed(Instant.parse("2100-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** A snapshot of plan {@code p} on host {@code h}, id derived from its time so that order is clear. */
  static SnapshotInfo snap(String time, String... extraTags) {
    List<String> tags = new ArrayList<>(List.of("holdfast", "plan:p"));
    tags.addAll(List.of(extraTags));
    return new SnapshotInfo(idOf(time), ZonedDateTime.parse(time), "h", List.of("/data"), Set.copyOf(tags));
  }

  static String idOf(String time) {
    return Integer.toHexString(time.hashCode()) + "-" + time;
  }

  /** time -> reasons (or "no rule keeps it"), newest first. */
  static Map<String, List<String>> decide(RetentionPolicy p, Clock clock, SnapshotInfo... snaps) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (RetentionDecision d : p.apply(List.of(snaps), clock)) {
      assertThat(d.keep()).isEqualTo(!d.reasons().equals(List.of(RetentionDecision.NO_RULE)));
      out.put(d.snapshot().time().toString(), d.reasons());
    }
    return out;
  }

  static Map<String, List<String>> decide(RetentionPolicy p, SnapshotInfo... snaps) {
    return decide(p, FAR_FUTURE, snaps);
  }

  static List<String> kept(RetentionPolicy p, Clock clock, SnapshotInfo... snaps) {
    return p.apply(List.of(snaps), clock).stream().filter(RetentionDecision::keep)
        .map(d -> d.snapshot().time().toString()).toList();
  }

  static RetentionPolicy.Builder policy() {
    return RetentionPolicy.builder();
  }

  static final List<String> NONE = List.of(RetentionDecision.NO_RULE);

  @Test
  void keepLastKeepsTheNewestAndNamesTheirRank() {
    Map<String, List<String>> d = decide(policy().keepLast(2).build(),
        snap("2024-01-01T10:00Z"), snap("2024-01-03T10:00Z"), snap("2024-01-02T10:00Z"));
    assertThat(d).containsExactly(
        Map.entry("2024-01-03T10:00Z", List.of("last #1")),
        Map.entry("2024-01-02T10:00Z", List.of("last #2")),
        Map.entry("2024-01-01T10:00Z", NONE));
  }

  static Stream<Arguments> calendarRules() {
    return Stream.of(
        // hourly: newest of each hour that has snapshots; empty hours do not count
        Arguments.of(policy().keepHourly(2).build(),
            List.of("2024-05-01T10:05Z", "2024-05-01T10:40Z", "2024-05-01T11:10Z", "2024-05-01T13:00Z"),
            List.of("2024-05-01T13:00Z", "2024-05-01T11:10Z")),
        // daily: only days with snapshots count, so a gap reaches further back
        Arguments.of(policy().keepDaily(3).build(),
            List.of("2024-05-01T08:00Z", "2024-05-01T20:00Z", "2024-05-04T01:00Z", "2024-05-09T23:59Z",
                "2024-05-09T00:00Z"),
            List.of("2024-05-09T23:59Z", "2024-05-04T01:00Z", "2024-05-01T20:00Z")),
        // weekly: ISO weeks from Monday 00:00; Sunday belongs to the week before
        Arguments.of(policy().keepWeekly(2).build(),
            List.of("2024-04-28T23:00Z", "2024-04-29T00:00Z", "2024-05-05T12:00Z", "2024-04-27T12:00Z"),
            List.of("2024-05-05T12:00Z", "2024-04-28T23:00Z")),
        // weekly across a year end: 2020-12-31 and 2021-01-03 are both in ISO week 53 of 2020
        Arguments.of(policy().keepWeekly(2).build(),
            List.of("2020-12-31T12:00Z", "2021-01-03T12:00Z", "2021-01-04T12:00Z", "2020-12-27T12:00Z"),
            List.of("2021-01-04T12:00Z", "2021-01-03T12:00Z")),
        // monthly in a leap year: Feb 29 is February's last snapshot
        Arguments.of(policy().keepMonthly(2).build(),
            List.of("2024-02-28T12:00Z", "2024-02-29T12:00Z", "2024-03-01T00:00Z", "2024-01-31T12:00Z"),
            List.of("2024-03-01T00:00Z", "2024-02-29T12:00Z")),
        Arguments.of(policy().keepYearly(2).build(),
            List.of("2022-12-31T23:59Z", "2023-06-01T00:00Z", "2023-12-31T23:00Z", "2024-01-01T00:00Z"),
            List.of("2024-01-01T00:00Z", "2023-12-31T23:00Z")),
        // more wanted than there are buckets: every bucket's newest stays
        Arguments.of(policy().keepDaily(10).build(),
            List.of("2024-05-01T08:00Z", "2024-05-01T20:00Z", "2024-05-02T01:00Z"),
            List.of("2024-05-02T01:00Z", "2024-05-01T20:00Z")));
  }

  @ParameterizedTest
  @MethodSource("calendarRules")
  void calendarRulesKeepTheNewestSnapshotOfEachRecentBucket(RetentionPolicy p, List<String> times, List<String> keep) {
    assertThat(kept(p, FAR_FUTURE, times.stream().map(RetentionPolicyTest::snap).toArray(SnapshotInfo[]::new)))
        .containsExactlyElementsOf(keep);
  }

  @Test
  void bucketsAreTheCalendarOfTheOffsetEachSnapshotRecorded() {
    // both on January 1 where they were taken, though the first is January 2 in UTC
    assertThat(kept(policy().keepDaily(2).build(), FAR_FUTURE,
        snap("2024-01-01T23:30-05:00"), snap("2024-01-01T10:00-05:00"), snap("2023-12-31T12:00-05:00")))
        .containsExactly("2024-01-01T23:30-05:00", "2023-12-31T12:00-05:00");
  }

  @Test
  void theHourAClockFallsBackIsOneHourBucket() {
    // Europe/Berlin, 2024-10-27: 03:00 CEST becomes 02:00 CET; both 02:xx local hours are bucket "02"
    Map<String, List<String>> d = decide(policy().keepHourly(2).build(),
        snap("2024-10-27T02:10+02:00"), snap("2024-10-27T02:40+01:00"), snap("2024-10-27T03:10+01:00"));
    assertThat(d).containsExactly(
        Map.entry("2024-10-27T03:10+01:00", List.of("hourly #1")),
        Map.entry("2024-10-27T02:40+01:00", List.of("hourly #2")),
        Map.entry("2024-10-27T02:10+02:00", NONE));
  }

  @Test
  void aDayWithASpringForwardIsOneDailyBucketWhateverItsOffsets() {
    // Europe/Berlin, 2024-03-31: the offset changes from +01:00 to +02:00 at 02:00
    assertThat(kept(policy().keepDaily(2).build(), FAR_FUTURE,
        snap("2024-03-30T23:30+01:00"), snap("2024-03-31T00:30+01:00"), snap("2024-03-31T23:30+02:00")))
        .containsExactly("2024-03-31T23:30+02:00", "2024-03-30T23:30+01:00");
  }

  @Test
  void withinKeepsWhatIsStrictlyNewerThanTheSpanBeforeTheNewest() {
    RetentionPolicy p = policy().keepWithin(Within.parse("2d12h")).build();
    assertThat(decide(p, snap("2024-01-01T00:00Z"), snap("2024-01-01T00:01Z"), snap("2024-01-03T12:00Z")))
        .containsExactly(
            Map.entry("2024-01-03T12:00Z", List.of("within 2d12h")),
            Map.entry("2024-01-01T00:01Z", List.of("within 2d12h")),
            Map.entry("2024-01-01T00:00Z", NONE));
  }

  @Test
  void withinIgnoresFutureSnapshotsWhenFindingTheNewestAndKeepsThem() {
    Clock now = Clock.fixed(Instant.parse("2024-01-04T00:00:00Z"), ZoneOffset.UTC);
    RetentionPolicy p = policy().keepWithin(Duration.ofDays(2)).build();
    assertThat(kept(p, now, snap("2030-01-01T00:00Z"), snap("2024-01-03T12:00Z"), snap("2024-01-02T00:00Z"),
        snap("2024-01-01T00:00Z")))
        .containsExactly("2030-01-01T00:00Z", "2024-01-03T12:00Z", "2024-01-02T00:00Z");
  }

  @Test
  void withinMonthsCountAsGosAddDateRollingOverflowIntoTheNextMonth() {
    // 2024-03-31 minus one month is "February 31", which is March 2 in a leap year (not Feb 29)
    RetentionPolicy p = policy().keepWithin(Within.parse("1m")).build();
    assertThat(kept(p, FAR_FUTURE, snap("2024-03-31T12:00Z"), snap("2024-03-02T12:01Z"), snap("2024-03-02T12:00Z"),
        snap("2024-03-01T12:00Z")))
        .containsExactly("2024-03-31T12:00Z", "2024-03-02T12:01Z");
    // and a year before Feb 29 2024 is "Feb 29 2023", that is March 1 2023
    RetentionPolicy year = policy().keepWithin(Within.parse("1y")).build();
    assertThat(kept(year, FAR_FUTURE, snap("2024-02-29T00:00Z"), snap("2023-03-01T00:01Z"), snap("2023-02-28T23:59Z")))
        .containsExactly("2024-02-29T00:00Z", "2023-03-01T00:01Z");
  }

  @Test
  void aSnapshotKeptByManyRulesNamesThemAll() {
    RetentionPolicy p = policy().keepLast(1).keepHourly(5).keepDaily(5).keepWeekly(1).keepMonthly(1).keepYearly(1)
        .keepWithin(Within.parse("1h")).keepTag("pinned").build();
    Map<String, List<String>> d = decide(p, snap("2024-06-02T10:00Z", "pinned"), snap("2024-06-01T10:00Z"));
    assertThat(d.get("2024-06-02T10:00Z")).containsExactly("last #1", "hourly #1", "daily #1", "weekly #1",
        "monthly #1", "yearly #1", "within 1h", "tag pinned");
    assertThat(d.get("2024-06-01T10:00Z")).containsExactly("hourly #2", "daily #2");
  }

  @Test
  void keepTagKeepsSnapshotsWithAnyOfTheTags() {
    RetentionPolicy p = policy().keepLast(1).keepTag("release").keepTag("audit").build();
    assertThat(decide(p, snap("2024-01-01T00:00Z", "audit"), snap("2024-01-02T00:00Z", "release", "audit"),
        snap("2024-01-03T00:00Z"), snap("2024-01-04T00:00Z")))
        .containsExactly(
            Map.entry("2024-01-04T00:00Z", List.of("last #1")),
            Map.entry("2024-01-03T00:00Z", NONE),
            Map.entry("2024-01-02T00:00Z", List.of("tag audit", "tag release")),
            Map.entry("2024-01-01T00:00Z", List.of("tag audit")));
  }

  @Test
  void aKeepTagListKeepsOnlySnapshotsWithAllItsTags() {
    RetentionPolicy p = policy().keepTag("release,audit").build();
    assertThat(decide(p, snap("2024-01-01T00:00Z", "audit"), snap("2024-01-02T00:00Z", "release", "audit")))
        .containsExactly(
            Map.entry("2024-01-02T00:00Z", List.of("tag release,audit")),
            Map.entry("2024-01-01T00:00Z", NONE));
    assertThatThrownBy(() -> policy().keepTag("a,")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void snapshotsWithTheSameTimeAreOrderedByIdGreaterIsNewer() {
    ZonedDateTime t = ZonedDateTime.parse("2024-01-01T00:00Z");
    SnapshotInfo a = new SnapshotInfo("aaaa", t, "h", List.of(), Set.of("plan:p"));
    SnapshotInfo b = new SnapshotInfo("bbbb", t, "h", List.of(), Set.of("plan:p"));
    List<RetentionDecision> d = policy().keepLast(1).build().apply(List.of(a, b), FAR_FUTURE);
    assertThat(d).extracting(x -> x.snapshot().id(), RetentionDecision::keep)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("bbbb", true), org.assertj.core.groups.Tuple.tuple("aaaa", false));
    // the same in the other input order
    assertThat(policy().keepLast(1).build().apply(List.of(b, a), FAR_FUTURE)).first()
        .extracting(x -> x.snapshot().id()).isEqualTo("bbbb");
  }

  @Test
  void groupsByPlanAndHostByDefaultAndEachGroupIsJudgedAlone() {
    ZonedDateTime t = ZonedDateTime.parse("2024-01-01T00:00Z");
    SnapshotInfo p1 = new SnapshotInfo("1", t, "h1", List.of(), Set.of("plan:a"));
    SnapshotInfo p2 = new SnapshotInfo("2", t.plusHours(1), "h1", List.of(), Set.of("plan:b"));
    SnapshotInfo p3 = new SnapshotInfo("3", t.plusHours(2), "h2", List.of(), Set.of("plan:a"));
    SnapshotInfo p4 = new SnapshotInfo("4", t.plusHours(3), "h1", List.of(), Set.of("plan:a"));
    List<RetentionDecision> d = policy().keepLast(1).build().apply(List.of(p1, p2, p3, p4), FAR_FUTURE);
    assertThat(d).extracting(x -> x.snapshot().id() + " " + x.group() + " " + x.keep())
        .containsExactly("4 plan=a host=h1 true", "1 plan=a host=h1 false", "3 plan=a host=h2 true",
            "2 plan=b host=h1 true");
    List<RetentionDecision> one = policy().keepLast(1).groupBy(Set.of()).build().apply(List.of(p1, p2, p3, p4),
        FAR_FUTURE);
    assertThat(one).filteredOn(RetentionDecision::keep).extracting(x -> x.snapshot().id()).containsExactly("4");
    assertThat(one).extracting(RetentionDecision::group).containsOnly("");
    List<RetentionDecision> byPaths = policy().keepLast(1).groupBy(Set.of(GroupBy.TAGS)).build()
        .apply(List.of(p1, p2, p3, p4), FAR_FUTURE);
    assertThat(byPaths).filteredOn(RetentionDecision::keep).extracting(x -> x.snapshot().id())
        .containsExactly("4", "2");
  }

  @Test
  void anEmptyPolicyKeepsEverything() {
    RetentionPolicy empty = policy().keepLast(0).build();
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.apply(List.of(snap("2024-01-01T00:00Z"), snap("2024-01-02T00:00Z")), FAR_FUTURE))
        .allMatch(RetentionDecision::keep).allMatch(d -> d.reasons().equals(List.of("empty policy keeps everything")));
    assertThat(policy().keepWithin(Within.parse("0d")).build().isEmpty()).isTrue();
    assertThat(policy().keepTag("x").build().isEmpty()).isFalse();
  }

  @Test
  void withinSpansParseAndPrintInResticsForm() {
    assertThat(Within.parse("2y5m7d3h")).isEqualTo(new Within(2, 5, 7, 3));
    assertThat(Within.parse("2d12h").toString()).isEqualTo("2d12h");
    assertThat(Within.parse("36h").toString()).isEqualTo("36h");
    assertThat(Within.of(Duration.ofHours(60))).isEqualTo(new Within(0, 0, 2, 12));
    assertThatThrownBy(() -> Within.parse("2w")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2w");
    assertThatThrownBy(() -> Within.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Within.of(Duration.ofMinutes(90))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole");
    assertThatThrownBy(() -> policy().keepDaily(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keep-daily");
  }

  @Test
  void toBuilderCarriesEveryRuleAndToStringSaysThePolicy() {
    RetentionPolicy p = policy().keepLast(2).keepDaily(7).keepWithin(Within.parse("2d")).keepTag("x")
        .groupBy(Set.of(GroupBy.HOST)).build();
    assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
    assertThat(p.toString()).isEqualTo("keep 2 last, 7 daily snapshots, within 2d of the newest, tagged x");
    assertThat(p.toBuilder().keepDaily(1).build()).isNotEqualTo(p);
  }
}
