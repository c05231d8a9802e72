package io.holdfast.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GoTimeFastPathTest {
  private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
      ZoneId.of("America/St_Johns"), ZoneId.of("Asia/Kathmandu"), ZoneId.of("Pacific/Chatham"));

  @Test
  void fastFormatMatchesTheFormatterForRandomInstantsAndZones() {
    Random rnd = new Random(5);
    for (int i = 0; i < 20_000; i++) {
      long sec = rnd.nextLong(-2_000_000_000L, 4_000_000_000L);
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> rnd.nextInt(1000) * 1_000_000;
        case 2 -> rnd.nextInt(1_000_000) * 1000;
        default -> rnd.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(sec, nano);
      ZoneId zone = ZONES.get(i % ZONES.size());
      String fast = GoTime.format(t, zone);
      boolean wholeMinutes = zone.getRules().getOffset(t).getTotalSeconds() % 60 == 0;
      assertThat(fast).isEqualTo(GoTime.format(ZonedDateTime.ofInstant(t, wholeMinutes ? zone : ZoneId.of("Z"))));
      assertThat(GoTime.parseInstant(fast)).isEqualTo(t);
    }
  }

  @Test
  void parseInstantAgreesWithParseOnEveryShape() {
    for (String s : List.of("2014-12-22T14:47:59.912418701+01:00", "2021-03-04T05:06:07Z",
        "2021-03-04T05:06:07.1Z", "2021-03-04T05:06:07.120-09:30", "2021-03-04t05:06:07z",
        "0001-01-01T00:00:00Z")) {
      assertThat(GoTime.parseInstant(s)).as(s).isEqualTo(GoTime.parse(s).toInstant());
    }
  }

  @Test
  void parseInstantRejectsWhatParseRejects() {
    for (String s : List.of("2021-02-30T00:00:00Z", "2021-03-04T05:06:07.Z", "2021-03-04T25:06:07Z",
        "2021-03-04T05:06:07.1234567890Z", "2021-03-04T05:06:07+0100", "2021-03-04 05:06:07Z")) {
      assertThatThrownBy(() -> GoTime.parseInstant(s)).as(s).isInstanceOf(DateTimeParseException.class);
    }
  }
}
