package io.holdfast.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoTimeTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2014-12-22T14:47:59.912418701+01:00",
        "2015-01-02T18:10:13.48307196+01:00",
        "2026-12-01T07:27:34.261870588Z",
        "2014-12-06T17:50:23.34513538-05:30",
        "2020-02-29T00:00:00Z",
        "2020-02-29T00:00:00.1Z",
        "0001-01-01T00:00:00Z",
      })
  void goFormattedTimesRoundTripExactly(String text) {
    assertThat(GoTime.format(GoTime.parse(text))).isEqualTo(text);
  }

  @Test
  void parseKeepsTheInstantAndTheOffset() {
    ZonedDateTime time = GoTime.parse("2014-12-22T14:47:59.912418701+01:00");

    assertThat(time)
        .isEqualTo(ZonedDateTime.of(2014, 12, 22, 14, 47, 59, 912_418_701, ZoneOffset.ofHours(1)));
  }

  @Test
  void wholeSecondsPrintWithoutAFraction() {
    assertThat(GoTime.format(ZonedDateTime.of(2015, 1, 2, 18, 10, 13, 0, ZoneOffset.ofHours(1))))
        .isEqualTo("2015-01-02T18:10:13+01:00");
  }

  @Test
  void trailingZerosOfTheFractionAreDropped() {
    assertThat(GoTime.format(ZonedDateTime.of(2015, 1, 2, 18, 10, 13, 500_000_000, ZoneOffset.UTC)))
        .isEqualTo("2015-01-02T18:10:13.5Z");
  }

  @Test
  void utcPrintsAsZ() {
    assertThat(GoTime.format(ZonedDateTime.of(2015, 1, 2, 18, 10, 13, 1, ZoneId.of("UTC"))))
        .isEqualTo("2015-01-02T18:10:13.000000001Z");
  }

  @Test
  void aRegionZonePrintsAsItsOffset() {
    assertThat(
            GoTime.format(ZonedDateTime.of(2015, 7, 2, 18, 10, 13, 0, ZoneId.of("Europe/Berlin"))))
        .isEqualTo("2015-07-02T18:10:13+02:00");
  }

  @ParameterizedTest
  @CsvSource({
    "2015-01-02T18:10:13.123+01:00, 123000000",
    "2015-01-02t18:10:13.1z, 100000000",
    "2015-01-02T18:10:13.000000000Z, 0",
    "2015-01-02T18:10:13Z, 0",
  })
  void parseAcceptsAnyRfc3339FractionAndCase(String text, int nanos) {
    assertThat(GoTime.parse(text).getNano()).isEqualTo(nanos);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2015-01-02",
        "2015-01-02T18:10Z",
        "2015-01-02T18:10:13",
        "2015-01-02T18:10:13.Z",
        "2015-01-02T18:10:13.1234567891Z",
        "2015-01-02 18:10:13Z",
        "2015-02-30T18:10:13Z",
        "2015-01-02T24:00:00Z",
        "2015-01-02T18:10:13+0100",
        "15-01-02T18:10:13Z",
      })
  void parseRefusesWhatIsNotRfc3339(String text) {
    assertThatThrownBy(() -> GoTime.parse(text)).isInstanceOf(DateTimeParseException.class);
  }

  @Test
  void formatRefusesYearsGoCannotWriteAsJson() {
    assertThatThrownBy(
            () -> GoTime.format(ZonedDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)))
        .isInstanceOf(DateTimeException.class);
  }
}
