package io.holdfast.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a byte count: {@code 1048576}, {@code 512K}, {@code 10MiB}, {@code 2G}, {@code 1T} (powers of 1024). */
final class SizeConverter implements ITypeConverter<Long> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgtp]?)(i?b)?");

  @Override
  public Long convert(String value) {
    Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException("'" + value + "' is not a size: give bytes, or a number with K, M, G, T"
          + " or P (powers of 1024), e.g. 512M");
    }
    int shift = 10 * "-kmgtp".indexOf(m.group(2).isEmpty() ? "-" : m.group(2));
    long n = Long.parseLong(m.group(1));
    if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
      throw new TypeConversionException("'" + value + "' is too large");
    }
    return n << shift;
  }
}
