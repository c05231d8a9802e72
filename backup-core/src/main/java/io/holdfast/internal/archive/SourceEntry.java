package io.holdfast.internal.archive;

import java.time.Instant;

/**
 * One entry of an archive being imported, as its format declares it (nothing checked yet).
 *
 * @param name the raw name, as stored
 * @param perms permission, setuid, setgid and sticky bits (POSIX, {@code 07777})
 * @param mtime modification time; {@code atime} and {@code ctime} may be null
 * @param user user name, or null; {@code group} likewise
 * @param size the declared data size, or -1 if the format does not declare one
 * @param link a symlink's target or a hard link's target entry name, else null
 */
record SourceEntry(String name, Kind kind, int perms, Instant mtime, Instant atime, Instant ctime, long uid,
    long gid, String user, String group, long size, String link, long devMajor, long devMinor) {

  /** The entry types an import knows; anything else in an archive is refused. */
  enum Kind { FILE, DIR, SYMLINK, HARDLINK, FIFO, BLOCK_DEVICE, CHAR_DEVICE }
}
