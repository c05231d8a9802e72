package io.holdfast.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a restore must reproduce about a directory tree, as comparable values: per relative
 * path its type, permissions, size, content hash, mtime (to the microsecond, as every tool
 * restores it) and symlink target. Two trees restore identically when their listings are equal.
 */
public final class DirectoryListing {
  private DirectoryListing() {}

  /** One entry; {@code mtimeMicros} is null for symlinks when {@code withLinkTimes} is false. */
  public record Entry(String type, String perms, long size, String sha256, Long mtimeMicros, String target) {}

  /** Lists {@code root} recursively (not including root itself). */
  public static Map<String, Entry> of(Path root) {
    return of(root, true);
  }

  public static Map<String, Entry> of(Path root, boolean withDirTimes) {
    Map<String, Entry> out = new TreeMap<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          if (!dir.equals(root)) {
            out.put(rel(root, dir), entry(dir, attrs, withDirTimes));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          out.put(rel(root, file), entry(file, attrs, withDirTimes));
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The hard-link groups under {@code root}: the relative paths of the regular files that share an
   * inode ({@code unix:ino}), each group sorted, for the groups of two or more paths. Two trees link
   * alike when their groups are equal, whatever the inode numbers.
   */
  public static java.util.Set<java.util.List<String>> hardLinkGroups(Path root) {
    Map<Object, java.util.List<String>> byInode = new java.util.HashMap<>();
    try (var walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Object ino = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
          byInode.computeIfAbsent(ino, k -> new java.util.ArrayList<>()).add(rel(root, p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    java.util.Set<java.util.List<String>> groups = new java.util.HashSet<>();
    for (java.util.List<String> g : byInode.values()) {
      if (g.size() > 1) {
        groups.add(g.stream().sorted().toList());
      }
    }
    return groups;
  }

  private static String rel(Path root, Path p) {
    return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
  }

  private static Entry entry(Path p, BasicFileAttributes a, boolean withDirTimes) throws IOException {
    String perms = a.isSymbolicLink() ? null
        : PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    long micros = a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000
        + a.lastModifiedTime().toInstant().getNano() / 1000;
    if (a.isDirectory()) {
      return new Entry("dir", perms, 0, null, withDirTimes ? micros : null, null);
    }
    if (a.isSymbolicLink()) {
      return new Entry("symlink", null, 0, null, null, Files.readSymbolicLink(p).toString());
    }
    if (a.isRegularFile()) {
      return new Entry("file", perms, a.size(), sha256(p), micros, null);
    }
    return new Entry("other", perms, 0, null, micros, null);
  }

  private static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
