package io.holdfast.internal.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

  /**
   * Formats {@code time} in {@code zone} exactly as {@link #format(ZonedDateTime)} does, without
   * the formatter machinery: this runs three times per file of every backup. Where the zone's
   * offset at that instant has seconds (local mean time before 1900, say), which RFC 3339 cannot
   * write, the time is written in UTC instead so that it reads back as the same instant.
   */
  public static String format(Instant time, ZoneId zone) {
    ZoneOffset offset = zone.getRules().getOffset(time);
    if (offset.getTotalSeconds() % 60 != 0) {
      offset = ZoneOffset.UTC;
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), offset);
    if (t.getYear() < 0 || t.getYear() > 9999) {
      return format(ZonedDateTime.ofInstant(time, offset));
    }
    StringBuilder b = new StringBuilder(36);
    pad(b, t.getYear(), 4).append('-');
    pad(b, t.getMonthValue(), 2).append('-');
    pad(b, t.getDayOfMonth(), 2).append('T');
    pad(b, t.getHour(), 2).append(':');
    pad(b, t.getMinute(), 2).append(':');
    pad(b, t.getSecond(), 2);
    int nano = t.getNano();
    if (nano != 0) {
      int digits = 9;
      while (nano % 10 == 0) {
        nano /= 10;
        digits--;
      }
      pad(b.append('.'), nano, digits);
    }
    int secs = offset.getTotalSeconds();
    if (secs == 0) {
      return b.append('Z').toString();
    }
    b.append(secs < 0 ? '-' : '+');
    int abs = Math.abs(secs);
    pad(b, abs / 3600, 2).append(':');
    return pad(b, abs / 60 % 60, 2).toString();
  }

  private static final int[] POWERS_OF_TEN = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  /** Appends {@code value} (0 to 10^width - 1) as exactly {@code width} digits, no String made. */
  private static StringBuilder pad(StringBuilder b, int value, int width) {
    for (int i = width - 1; i >= 0; i--) {
      b.append((char) ('0' + value / POWERS_OF_TEN[i] % 10));
    }
    return b;
  }

  /**
   * The instant of an RFC 3339 time as {@link #parse} reads it; the common shapes are read without
   * the formatter machinery, anything else goes through {@link #parse}.
   */
  public static Instant parseInstant(String text) {
    int n = text.length();
    if (n < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return parse(text).toInstant();
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int p = 19;
    int nano = 0;
    if (p < n && text.charAt(p) == '.') {
      int start = ++p;
      while (p < n && text.charAt(p) >= '0' && text.charAt(p) <= '9') {
        p++;
      }
      int len = p - start;
      if (len < 1 || len > 9) {
        return parse(text).toInstant();
      }
      nano = digits(text, start, len);
      for (int i = len; i < 9; i++) {
        nano *= 10;
      }
    }
    int offsetSeconds;
    if (p == n - 1 && text.charAt(p) == 'Z') {
      offsetSeconds = 0;
    } else if (p == n - 6 && (text.charAt(p) == '+' || text.charAt(p) == '-') && text.charAt(p + 3) == ':') {
      int hh = digits(text, p + 1, 2);
      int mm = digits(text, p + 4, 2);
      if (hh < 0 || mm < 0 || hh > 18 || mm > 59) {
        return parse(text).toInstant();
      }
      offsetSeconds = (hh * 3600 + mm * 60) * (text.charAt(p) == '-' ? -1 : 1);
    } else {
      return parse(text).toInstant();
    }
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return parse(text).toInstant();
    }
    try {
      LocalDateTime t = LocalDateTime.of(year, month, day, hour, minute, second, nano);
      return t.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
    } catch (DateTimeException e) {
      return parse(text).toInstant();
    }
  }

  /** The decimal value of {@code len} digits at {@code at}, or -1 if any is not a digit. */
  private static int digits(String s, int at, int len) {
    int v = 0;
    for (int i = at; i < at + len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
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
