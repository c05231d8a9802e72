package io.holdfast.internal.repo;

/**
 * Conversion between POSIX {@code st_mode} and Go's {@code os.FileMode}, which restic stores in
 * trees: permission bits as is, file type and setuid/setgid/sticky as high bits of their own.
 */
public final class GoMode {
  public static final long DIR = 1L << 31;
  public static final long SYMLINK = 1L << 27;
  public static final long DEVICE = 1L << 26;
  public static final long NAMED_PIPE = 1L << 25;
  public static final long SOCKET = 1L << 24;
  public static final long SETUID = 1L << 23;
  public static final long SETGID = 1L << 22;
  public static final long CHAR_DEVICE = 1L << 21;
  public static final long STICKY = 1L << 20;
  public static final long PERM = 0777;

  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFIFO = 0010000;

  private GoMode() {}

  /** Go's FileMode for a POSIX {@code st_mode}. */
  public static long fromPosix(int stMode) {
    long m = stMode & PERM;
    if ((stMode & 04000) != 0) {
      m |= SETUID;
    }
    if ((stMode & 02000) != 0) {
      m |= SETGID;
    }
    if ((stMode & 01000) != 0) {
      m |= STICKY;
    }
    switch (stMode & S_IFMT) {
      case S_IFDIR -> m |= DIR;
      case S_IFLNK -> m |= SYMLINK;
      case S_IFBLK -> m |= DEVICE;
      case S_IFCHR -> m |= DEVICE | CHAR_DEVICE;
      case S_IFIFO -> m |= NAMED_PIPE;
      case S_IFSOCK -> m |= SOCKET;
      default -> { }
    }
    return m;
  }

  /** The permission, setuid, setgid and sticky bits of a Go FileMode as POSIX mode bits. */
  public static int toPosixPermissions(long goMode) {
    int m = (int) (goMode & PERM);
    if ((goMode & SETUID) != 0) {
      m |= 04000;
    }
    if ((goMode & SETGID) != 0) {
      m |= 02000;
    }
    if ((goMode & STICKY) != 0) {
      m |= 01000;
    }
    return m;
  }
}
