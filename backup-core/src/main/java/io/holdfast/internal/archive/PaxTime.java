package io.holdfast.internal.archive;

import java.math.BigDecimal;
import java.time.Instant;

/** Times as pax headers write them: decimal seconds since the epoch, with up to 9 fraction digits. */
final class PaxTime {
  private PaxTime() {}

  static String format(Instant t) {
    return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9))
        .stripTrailingZeros().toPlainString();
  }
}
