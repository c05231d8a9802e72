package io.holdfast.internal.fs;

import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;

/** The one, read-only store of a snapshot file system; it reports no space. Immutable. */
final class SnapshotFileStore extends FileStore {
  private final SnapshotFileSystem fs;

  SnapshotFileStore(SnapshotFileSystem fs) {
    this.fs = fs;
  }

  @Override
  public String name() {
    return "snapshot " + fs.snapshot().id().shortHex();
  }

  @Override
  public String type() {
    return SnapshotFileSystemProvider.SCHEME;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public long getTotalSpace() {
    return 0;
  }

  @Override
  public long getUsableSpace() {
    return 0;
  }

  @Override
  public long getUnallocatedSpace() {
    return 0;
  }

  @Override
  public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
    return type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
        || type == FileOwnerAttributeView.class;
  }

  @Override
  public boolean supportsFileAttributeView(String name) {
    return SnapshotAttributes.VIEWS.contains(name);
  }

  @Override
  public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
    return null;
  }

  @Override
  public Object getAttribute(String attribute) {
    throw new UnsupportedOperationException("a snapshot's store has no attribute '" + attribute + "'");
  }

  @Override
  public String toString() {
    return name() + " (" + type() + ", read-only)";
  }
}
