package io.holdfast.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a positive duration written as restic and Go write them ({@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 1h30m}, {@code 1.5h}) or in ISO-8601 ({@code PT30S}).
 */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
      "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /** @throws TypeConversionException naming the accepted forms */
  static Duration parse(String value) {
    String s = value.strip();
    Duration d;
    if (s.startsWith("P") || s.startsWith("p")) {
      try {
        d = Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw invalid(value);
      }
    } else {
      d = goDuration(s, value);
    }
    if (d.isZero() || d.isNegative()) {
      throw new TypeConversionException("'" + value + "' is not a positive duration");
    }
    return d;
  }

  private static Duration goDuration(String s, String value) {
    Matcher m = PART.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw invalid(value);
      }
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
      at = m.end();
    }
    if (at == 0) {
      throw invalid(value);
    }
    return Duration.ofNanos(nanos.longValue());
  }

  private static TypeConversionException invalid(String value) {
    return new TypeConversionException("'" + value + "' is not a duration: write e.g. 250ms, 30s, 5m, 1h30m or PT30S");
  }
}
