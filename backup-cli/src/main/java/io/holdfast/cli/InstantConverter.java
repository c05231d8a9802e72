package io.holdfast.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a point in time: an ISO-8601 instant or offset time ({@code 2024-05-01T12:00:00Z},
 * {@code 2024-05-01T14:00+02:00}), or a local time of this machine's zone as restic shows times
 * ({@code 2024-05-01 12:00} or {@code 2024-05-01 12:00:00}, a {@code T} in place of the space too).
 */
final class InstantConverter implements ITypeConverter<Instant> {
  private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .appendLiteral(' ')
      .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
      .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalEnd()
      .toFormatter();

  @Override
  public Instant convert(String value) {
    return parse(value, ZoneId.systemDefault());
  }

  /** @param zone the zone of a time written without an offset */
  static Instant parse(String value, ZoneId zone) {
    String s = value.strip();
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeException notOffset) {
      try {
        String local = s.length() > 10 && s.charAt(10) == 'T' ? s.substring(0, 10) + ' ' + s.substring(11) : s;
        return LocalDateTime.parse(local, LOCAL).atZone(zone).toInstant();
      } catch (DateTimeException e) {
        throw new TypeConversionException("'" + value + "' is not a time: write e.g. 2024-05-01T12:00:00Z"
            + " or a local time 2024-05-01 12:00[:00]");
      }
    }
  }
}
