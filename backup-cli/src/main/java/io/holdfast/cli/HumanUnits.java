package io.holdfast.cli;

import java.time.Duration;
import java.util.Locale;

/** Sizes and durations as restic prints them: {@code 1.234 MiB}, {@code 1:05}. */
final class HumanUnits {
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

  private HumanUnits() {}

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    int u = -1;
    while (v >= 1024 && u < UNITS.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.3f %s", v, UNITS[u]);
  }

  /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
  static String duration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
