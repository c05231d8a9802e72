package io.holdfast;

import java.util.Locale;
import java.util.Optional;

/**
 * The archive formats a snapshot exports to ({@link Archives#export}). Imports detect the format
 * from the stream's first bytes and need no format.
 */
public enum ArchiveFormat {
  /** POSIX (pax) tar, uncompressed. */
  TAR("tar"),
  /** POSIX tar, gzip-compressed. */
  TAR_GZ("tar.gz"),
  /** POSIX tar, zstd-compressed. */
  TAR_ZST("tar.zst"),
  /** Zip (zip64 where needed); cannot hold fifos, devices or sockets, nor user and group names. */
  ZIP("zip");

  private final String extension;

  ArchiveFormat(String extension) {
    this.extension = extension;
  }

  /** The usual file name extension, without the dot: {@code tar}, {@code tar.gz}, {@code tar.zst}, {@code zip}. */
  public String extension() {
    return extension;
  }

  /**
   * The format named {@code name}: an extension ({@code tar}, {@code tar.gz}, {@code tgz},
   * {@code tar.zst}, {@code tzst}, {@code zip}) or a constant name, case-insensitive.
   *
   * @throws IllegalArgumentException for any other name, listing the accepted ones
   */
  public static ArchiveFormat parse(String name) {
    String n = name.toLowerCase(Locale.ROOT).replaceFirst("^\\.", "");
    switch (n) {
      case "tgz":
        return TAR_GZ;
      case "tzst":
        return TAR_ZST;
      default:
        for (ArchiveFormat f : values()) {
          if (f.extension.equals(n) || f.name().toLowerCase(Locale.ROOT).equals(n)) {
            return f;
          }
        }
        throw new IllegalArgumentException("unknown archive format '" + name
            + "': use tar, tar.gz (tgz), tar.zst (tzst) or zip");
    }
  }

  /** The format a file name's extension names ({@code backup.tar.zst}), if any. */
  public static Optional<ArchiveFormat> ofFileName(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    for (String ext : new String[] {"tar.gz", "tgz", "tar.zst", "tzst", "tar", "zip"}) {
      if (n.endsWith("." + ext)) {
        return Optional.of(parse(ext));
      }
    }
    return Optional.empty();
  }
}
