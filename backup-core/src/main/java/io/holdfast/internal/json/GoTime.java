package io.holdfast.internal.json;

import java.time.DateTimeException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * Timestamps as restic writes them: Go's {@code time.RFC3339Nano}, e.g. {@code
 * 2014-12-22T14:47:59.912418701+01:00}.
 *
 * <p>{@link #format} drops trailing zeros of the fraction (and the dot, for whole seconds), writes
 * {@code Z} for a zero offset and {@code ±hh:mm} otherwise; seconds of an offset are dropped as Go
 * drops them. {@link #parse} accepts any RFC 3339 date-time: zero to nine fraction digits, {@code
 * Z} or an offset, {@code T}/{@code Z} in either case. A string that parses and is formatted again
 * comes back unchanged if it was in Go's form. Stateless and thread-safe.
 */
public final class GoTime {
  // Minimum width 0 prints the fewest fraction digits that keep the value, as Go's ".999999999"
  // does, but would also parse a dot without digits; so parsing has its own formatter.
  private static final DateTimeFormatter FORMAT = rfc3339(0);
  private static final DateTimeFormatter PARSE = rfc3339(1);

  private GoTime() {}

  /**
   * Formats {@code time} in Go's RFC3339Nano style.
   *
   * @throws DateTimeException if the year is outside 0000 to 9999, which Go's JSON encoding refuses
   *     as well
   */
  public static String format(ZonedDateTime time) {
    return FORMAT.format(time);
  }

  /**
   * Parses an RFC 3339 date-time; the result's zone is the parsed offset.
   *
   * @throws DateTimeParseException if {@code text} is not an RFC 3339 date-time
   */
  public static ZonedDateTime parse(String text) {
    return ZonedDateTime.from(PARSE.parse(text));
  }

  private static DateTimeFormatter rfc3339(int minFractionDigits) {
    return new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .appendValue(ChronoField.YEAR, 4)
        .appendLiteral('-')
        .appendValue(ChronoField.MONTH_OF_YEAR, 2)
        .appendLiteral('-')
        .appendValue(ChronoField.DAY_OF_MONTH, 2)
        .appendLiteral('T')
        .appendValue(ChronoField.HOUR_OF_DAY, 2)
        .appendLiteral(':')
        .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
        .appendLiteral(':')
        .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
        .optionalStart()
        .appendFraction(ChronoField.NANO_OF_SECOND, minFractionDigits, 9, true)
        .optionalEnd()
        .appendOffset("+HH:MM", "Z")
        .toFormatter()
        .withResolverStyle(ResolverStyle.STRICT);
  }
}
