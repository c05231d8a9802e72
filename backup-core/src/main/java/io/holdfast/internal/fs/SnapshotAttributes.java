package io.holdfast.internal.fs;

import io.holdfast.internal.json.GoTime;
import io.holdfast.internal.repo.GoMode;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attributes a tree records for one node, as {@link PosixFileAttributes} and as the attribute
 * maps of the {@code basic}, {@code owner}, {@code posix} and {@code unix} views (the last with the
 * JDK's names and types: {@code mode}, {@code ino}, {@code dev}, {@code rdev}, {@code nlink},
 * {@code uid}, {@code gid}, {@code ctime}). Immutable.
 */
final class SnapshotAttributes implements PosixFileAttributes {
  static final Set<String> VIEWS = Set.of("basic", "owner", "posix", "unix");

  /** A file's identity: its device and inode when recorded, else (directories) its tree's id. */
  record FileKey(long device, long inode) {}

  /** An owner or group as recorded: its name if the tree has one, else its number. */
  record Principal(String name, long id) implements UserPrincipal, GroupPrincipal {
    @Override
    public String getName() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final Node node;

  SnapshotAttributes(Node node) {
    this.node = node;
  }

  @Override
  public FileTime lastModifiedTime() {
    return time(node.mtime(), null);
  }

  @Override
  public FileTime lastAccessTime() {
    return time(node.atime(), node.mtime());
  }

  /** Trees record no birth time; like the JDK on Linux without one, this is the mtime. */
  @Override
  public FileTime creationTime() {
    return lastModifiedTime();
  }

  FileTime changeTime() {
    return time(node.ctime(), node.mtime());
  }

  private static FileTime time(String t, String fallback) {
    String s = t != null ? t : fallback;
    return s == null ? FileTime.fromMillis(0) : FileTime.from(GoTime.parseInstant(s));
  }

  @Override
  public boolean isRegularFile() {
    return node.isFile();
  }

  @Override
  public boolean isDirectory() {
    return node.isDir();
  }

  @Override
  public boolean isSymbolicLink() {
    return node.isSymlink();
  }

  @Override
  public boolean isOther() {
    return !isRegularFile() && !isDirectory() && !isSymbolicLink();
  }

  /** A file's length; a link's is its target's length in bytes, as {@code lstat} gives it. */
  @Override
  public long size() {
    if (node.isSymlink()) {
      return node.linkTarget() == null ? 0 : node.linkTarget().getBytes(StandardCharsets.UTF_8).length;
    }
    return node.isFile() ? node.sizeOrZero() : 0;
  }

  @Override
  public Object fileKey() {
    if (node.inode() != null) {
      return new FileKey(node.deviceId() == null ? 0 : node.deviceId(), node.inode());
    }
    return node.isDir() && node.subtree() != null ? Id.parse(node.subtree()) : null;
  }

  @Override
  public UserPrincipal owner() {
    return new Principal(name(node.user(), node.uid()), node.uid());
  }

  @Override
  public GroupPrincipal group() {
    return new Principal(name(node.group(), node.gid()), node.gid());
  }

  private static String name(String recorded, long id) {
    return recorded == null || recorded.isEmpty() ? Long.toString(id) : recorded;
  }

  @Override
  public Set<PosixFilePermission> permissions() {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    long mode = node.modeOrZero();
    for (PosixFilePermission p : PosixFilePermission.values()) {
      if ((mode & (1L << (8 - p.ordinal()))) != 0) {
        out.add(p);
      }
    }
    return out;
  }

  /** POSIX {@code st_mode}: file type and permission bits. */
  int stMode() {
    int type = switch (node.type()) {
      case Node.DIR -> 0040000;
      case Node.SYMLINK -> 0120000;
      case Node.FIFO -> 0010000;
      case Node.SOCKET -> 0140000;
      case Node.DEV -> 0060000;
      case Node.CHARDEV -> 0020000;
      default -> 0100000;
    };
    return type | GoMode.toPosixPermissions(node.modeOrZero());
  }

  /** Every attribute of {@code view}, by the names {@code Files.readAttributes} uses. */
  Map<String, Object> asMap(String view) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!view.equals("owner")) {
      m.put("lastModifiedTime", lastModifiedTime());
      m.put("lastAccessTime", lastAccessTime());
      m.put("creationTime", creationTime());
      m.put("size", size());
      m.put("isRegularFile", isRegularFile());
      m.put("isDirectory", isDirectory());
      m.put("isSymbolicLink", isSymbolicLink());
      m.put("isOther", isOther());
      m.put("fileKey", fileKey());
    }
    if (!view.equals("basic")) {
      m.put("owner", owner());
    }
    if (view.equals("posix") || view.equals("unix")) {
      m.put("permissions", permissions());
      m.put("group", group());
    }
    if (view.equals("unix")) {
      m.put("mode", stMode());
      m.put("ino", node.inode() == null ? 0L : node.inode());
      m.put("dev", node.deviceId() == null ? 0L : node.deviceId());
      m.put("rdev", node.device() == null ? 0L : node.device());
      m.put("nlink", node.links() == null ? 1 : node.links().intValue());
      m.put("uid", (int) node.uid());
      m.put("gid", (int) node.gid());
      m.put("ctime", changeTime());
    }
    return m;
  }

  /**
   * The attributes {@code spec} ({@code [view:]name,name...} or {@code [view:]*}) asks for.
   *
   * @throws UnsupportedOperationException for a view this file system lacks
   * @throws IllegalArgumentException for a name the view lacks
   */
  Map<String, Object> select(String spec) {
    int colon = spec.indexOf(':');
    String view = colon < 0 ? "basic" : spec.substring(0, colon);
    if (!VIEWS.contains(view)) {
      throw new UnsupportedOperationException("attribute view '" + view + "': a snapshot has " + VIEWS);
    }
    Map<String, Object> all = asMap(view);
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : List.of(spec.substring(colon + 1).split(","))) {
      if (name.equals("*")) {
        out.putAll(all);
      } else if (all.containsKey(name)) {
        out.put(name, all.get(name));
      } else {
        throw new IllegalArgumentException("'" + name + "' is not an attribute of view '" + view + "'");
      }
    }
    return out;
  }
}
