package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.internal.json.GoTime;
import io.holdfast.testkit.ResticCli;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our forget decides as restic 0.14's does, on the same snapshots, and leaves a repository restic checks clean. */
class ForgetResticInteropTest {
  @TempDir Path tmp;

  /**
   * Irregular snapshot times over two and a half years in Berlin time (both offsets), plus the
   * corner cases: the hour clocks fall back through, a spring-forward day, ISO week 53, a leap
   * day, snapshots recorded at -05:00, and one in the future.
   */
  static List<String> times() {
    Random random = new Random(42);
    List<String> out = new ArrayList<>();
    ZonedDateTime t = ZonedDateTime.of(2023, 1, 1, 0, 0, 0, 0, ZoneId.of("Europe/Berlin"));
    while (t.getYear() < 2025 || t.getMonthValue() < 7) {
      t = t.plus(Duration.ofMinutes(10 + random.nextInt(9 * 24 * 60)));
      out.add(GoTime.format(t));
      if (random.nextInt(3) == 0) { // a burst: more in this hour and the next
        out.add(GoTime.format(t.plusMinutes(1 + random.nextInt(50))));
        out.add(GoTime.format(t.plusMinutes(61 + random.nextInt(60))));
      }
    }
    out.addAll(List.of("2024-10-27T02:10:00+02:00", "2024-10-27T02:40:00+01:00", "2024-10-27T03:05:00+01:00",
        "2024-03-31T01:30:00+01:00", "2024-03-31T03:30:00+02:00", "2020-12-31T12:00:00+01:00",
        "2021-01-03T12:00:00+01:00", "2024-02-29T23:59:00+01:00", "2025-07-01T23:30:00-05:00",
        "2025-07-02T01:00:00+02:00", "2099-01-01T00:00:00Z"));
    return out;
  }

  /** Snapshot id -> the kinds of rule that keep it ({@code last daily within tag}); empty if removed. */
  static Map<String, Set<String>> ours(JsonNode out) {
    Map<String, Set<String>> m = new TreeMap<>();
    for (JsonNode g : out.get("groups")) {
      for (JsonNode s : g.get("keep")) {
        Set<String> kinds = new TreeSet<>();
        s.get("reasons").forEach(r -> kinds.add(kind(r.asText())));
        m.put(s.get("id").asText(), kinds);
      }
      g.get("remove").forEach(s -> m.put(s.get("id").asText(), Set.of()));
    }
    return m;
  }

  static Map<String, Set<String>> restics(JsonNode out) {
    Map<String, Set<String>> m = new TreeMap<>();
    for (JsonNode g : out) {
      Map<String, String> idByTime = new TreeMap<>(); // restic's reasons name snapshots without their id
      g.get("keep").forEach(s -> idByTime.put(s.get("time").asText(), s.get("id").asText()));
      for (JsonNode r : g.get("reasons")) {
        Set<String> kinds = new TreeSet<>();
        r.get("matches").forEach(x -> kinds.add(kind(x.asText())));
        m.put(idByTime.get(r.get("snapshot").get("time").asText()), kinds);
      }
      if (g.hasNonNull("remove")) {
        g.get("remove").forEach(s -> m.put(s.get("id").asText(), Set.of()));
      }
    }
    return m;
  }

  /** "daily #3", "daily snapshot" -> daily; "within 2d" -> within; "tag x", "has tags [x]" -> tag. */
  static String kind(String reason) {
    String first = reason.split(" ")[0].toLowerCase(Locale.ROOT);
    return first.equals("has") ? "tag" : first;
  }

  @Test
  void ourDecisionsEqualResticsForTheSamePolicyAndResticChecksTheRepositoryAfterOurForget() throws Exception {
    ResticCli.require();
    Path repo = tmp.resolve("repo");
    Cli cli = Cli.withNewRepository(repo);
    List<String> times = times();
    Map<String, String> plain = ForgetCommandTest.seed(cli, repo, tmp, times.subList(0, times.size() - 20));
    Map<String, String> tagged = ForgetCommandTest.seed(cli, repo, tmp, times.subList(times.size() - 20, times.size()),
        "special");
    assertThat(plain.size() + tagged.size()).isEqualTo(times.size()).isGreaterThan(150);
    ResticCli restic = new ResticCli(repo, Cli.PASSWORD);

    List<List<String>> policies = List.of(
        List.of("--keep-last", "3"),
        List.of("--keep-hourly", "30"),
        List.of("--keep-daily", "40"),
        List.of("--keep-weekly", "60"),
        List.of("--keep-monthly", "20", "--keep-yearly", "5"),
        List.of("--keep-within", "1m15d"),
        List.of("--keep-within", "1y2m3d4h", "--keep-last", "2"),
        List.of("--keep-tag", "special"),
        List.of("--keep-tag", "special,plan:default", "--keep-tag", "nowhere", "--keep-last", "1"),
        List.of("--keep-last", "2", "--keep-hourly", "6", "--keep-daily", "7", "--keep-weekly", "5",
            "--keep-monthly", "12", "--keep-yearly", "3", "--keep-within", "10d", "--keep-tag", "special"));
    for (List<String> policy : policies) {
      List<String> ourArgs = new ArrayList<>(List.of("forget", "--json", "--dry-run", "--group-by", "host"));
      ourArgs.addAll(policy);
      List<String> resticArgs = new ArrayList<>(List.of("forget", "--json", "--dry-run", "--group-by", "host"));
      resticArgs.addAll(policy);
      Map<String, Set<String>> mine = ours(RoundTripTest.JSON.readTree(cli.run(ourArgs.toArray(String[]::new)).ok().out()));
      Map<String, Set<String>> theirs = restics(RoundTripTest.JSON.readTree(
          restic.ok(resticArgs.toArray(String[]::new)).stdout()));
      assertThat(mine).as("policy %s", policy).hasSize(times.size()).isEqualTo(theirs);
      assertThat(mine.values()).as("policy %s removes some", policy).contains(Set.of());
    }

    List<String> last = policies.get(policies.size() - 1);
    List<String> args = new ArrayList<>(List.of("forget", "--json"));
    args.addAll(last);
    JsonNode done = RoundTripTest.JSON.readTree(cli.run(args.toArray(String[]::new)).ok().out());
    Set<String> kept = new TreeSet<>();
    ours(done).forEach((id, kinds) -> {
      if (!kinds.isEmpty()) {
        kept.add(id);
      }
    });
    assertThat(done.get("removed")).hasSize(times.size() - kept.size());
    Set<String> listed = new TreeSet<>();
    RoundTripTest.JSON.readTree(restic.ok("snapshots", "--json").stdout()).forEach(s -> listed.add(s.get("id").asText()));
    assertThat(listed).isEqualTo(kept);
    restic.ok("check");
  }
}
