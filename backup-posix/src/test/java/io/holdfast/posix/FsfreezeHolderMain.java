package io.holdfast.posix;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link FsfreezeGateTest}: {@code MOUNT MAX_HOLD_SECONDS} freezes MOUNT with
 * an {@link FsfreezeGate}, prints {@link #FROZEN}, and sleeps without ever releasing, waiting to be
 * killed.
 */
final class FsfreezeHolderMain {
  static final String FROZEN = "frozen";

  private FsfreezeHolderMain() {}

  public static void main(String[] args) throws Exception {
    new FsfreezeGate(Path.of(args[0]), Duration.ofSeconds(Long.parseLong(args[1])), CommandRunner.system())
        .acquire(Duration.ofSeconds(30));
    System.out.println(FROZEN);
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(10).toMillis());
  }
}
