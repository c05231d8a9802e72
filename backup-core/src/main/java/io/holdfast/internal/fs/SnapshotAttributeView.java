package io.holdfast.internal.fs;

import java.io.IOException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The basic, owner and posix views of one path: reading looks the path up each time, every setter
 * throws {@link ReadOnlyFileSystemException}. Immutable.
 */
final class SnapshotAttributeView implements PosixFileAttributeView {
  private final String name;
  private final SnapshotPath path;
  private final boolean follow;

  SnapshotAttributeView(String name, SnapshotPath path, boolean follow) {
    this.name = name;
    this.path = path;
    this.follow = follow;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SnapshotAttributes readAttributes() throws IOException {
    return new SnapshotAttributes(path.getFileSystem().resolve(path, follow));
  }

  @Override
  public UserPrincipal getOwner() throws IOException {
    return readAttributes().owner();
  }

  @Override
  public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void setPermissions(Set<PosixFilePermission> perms) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void setOwner(UserPrincipal owner) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void setGroup(GroupPrincipal group) {
    throw new ReadOnlyFileSystemException();
  }
}
