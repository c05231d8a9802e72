package io.holdfast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  @Test
  void durationsAreReadAsResticAndGoWriteThemOrInIso() {
    assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationConverter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationConverter.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationConverter.parse("2m3.5s")).isEqualTo(Duration.ofMillis(123_500));
    assertThat(DurationConverter.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
    assertThat(DurationConverter.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationConverter.parse("pt1m")).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void malformedOrNonPositiveDurationsAreRefusedWithTheFormsToUse() {
    for (String bad : new String[] {"3x", "", "30", "s", "5m junk", "1h-2m", "PT", "P1X"}) {
      assertThatThrownBy(() -> DurationConverter.parse(bad)).as(bad)
          .isInstanceOf(TypeConversionException.class).hasMessageContaining("30s");
    }
    assertThatThrownBy(() -> DurationConverter.parse("0s")).hasMessageContaining("not a positive duration");
    assertThatThrownBy(() -> DurationConverter.parse("PT-5S")).hasMessageContaining("not a positive duration");
  }

  @Test
  void timesAreIsoInstantsOrLocalTimesAsResticShowsThem() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertThat(InstantConverter.parse("2024-05-01T12:00:00Z", berlin)).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
    assertThat(InstantConverter.parse("2024-05-01T14:00+02:00", berlin)).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
    assertThat(InstantConverter.parse("2024-05-01 14:00", berlin)).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
    assertThat(InstantConverter.parse("2024-05-01 14:00:30", berlin)).isEqualTo(Instant.parse("2024-05-01T12:00:30Z"));
    assertThat(InstantConverter.parse("2024-05-01T14:00:30.5", berlin)).isEqualTo(Instant.parse("2024-05-01T12:00:30.5Z"));
  }

  @Test
  void malformedTimesAreRefusedWithTheFormsToUse() {
    for (String bad : new String[] {"yesterday", "2024-05-01", "2024-05-01 25:00", "2024-05-0114:00", "12:00"}) {
      assertThatThrownBy(() -> InstantConverter.parse(bad, ZoneId.of("UTC"))).as(bad)
          .isInstanceOf(TypeConversionException.class).hasMessageContaining("2024-05-01 12:00");
    }
  }
}
