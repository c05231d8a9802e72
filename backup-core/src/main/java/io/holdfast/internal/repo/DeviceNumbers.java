package io.holdfast.internal.repo;

/**
 * Linux's encoding of a device number ({@code makedev}), which restic stores in a node's
 * {@code device} field, and the major and minor numbers tar stores.
 */
public final class DeviceNumbers {
  private DeviceNumbers() {}

  public static long major(long dev) {
    return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
  }

  public static long minor(long dev) {
    return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
  }

  public static long of(long major, long minor) {
    return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
  }
}
