package io.holdfast.s3.internal;

import io.holdfast.s3.internal.BucketListing.Dir;
import io.holdfast.s3.internal.BucketListing.Entry;
import io.holdfast.s3.internal.BucketListing.ObjectFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The provider of one {@link BucketFileSystem}; every operation that would write is refused. */
final class BucketFileSystemProvider extends FileSystemProvider {
  static final String SCHEME = "holdfast-s3";

  private final BucketFileSystem fs;

  BucketFileSystemProvider(BucketFileSystem fs) {
    this.fs = fs;
  }

  /** Holdfast's own metadata directory and file at the top of the tree. */
  private enum Own { DIR, FILE }

  private BucketPath path(Path p) {
    if (!(p instanceof BucketPath bp) || bp.getFileSystem() != fs) {
      throw new ProviderMismatchException("not a path of " + fs + ": " + p);
    }
    return bp.toAbsolutePath();
  }

  /** The listing entry or {@link Own} member at {@code p}. */
  private Object find(BucketPath p) throws NoSuchFileException {
    if (!fs.isOpen()) {
      throw new java.nio.file.ClosedFileSystemException();
    }
    List<String> names = p.names();
    if (!names.isEmpty() && names.get(0).equals(KeyNames.RESERVED)) {
      if (names.size() == 1) {
        return Own.DIR;
      }
      if (names.size() == 2 && names.get(1).equals(MetadataSidecar.FILE_NAME)) {
        return Own.FILE;
      }
      throw new NoSuchFileException(p.toString());
    }
    Entry e = fs.listing().find(names);
    if (e == null) {
      throw new NoSuchFileException(p.toString());
    }
    return e;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException("bucket snapshot file systems are made by their dataset");
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    throw new UnsupportedOperationException("bucket snapshot file systems are made by their dataset");
  }

  @Override
  public Path getPath(URI uri) {
    throw new UnsupportedOperationException("bucket snapshot file systems are made by their dataset");
  }

  @Override
  public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
    for (OpenOption o : options) {
      if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND) {
        throw new ReadOnlyFileSystemException();
      }
    }
    BucketPath p = path(path);
    Object found = find(p);
    if (found instanceof ObjectFile f) {
      return fs.reader().open(fs.key(p.names()), f.versionId(), 0);
    }
    if (found == Own.FILE) {
      return Files.newInputStream(fs.sidecar().file());
    }
    throw new FileSystemException(p.toString(), null, "is a directory");
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    for (OpenOption o : options) {
      if (o != StandardOpenOption.READ && !(o instanceof LinkOption)) {
        throw new ReadOnlyFileSystemException();
      }
    }
    BucketPath p = path(path);
    Object found = find(p);
    if (found instanceof ObjectFile f) {
      return new ObjectChannel(fs.reader(), fs.key(p.names()), f.versionId(), f.size());
    }
    if (found == Own.FILE) {
      return Files.newByteChannel(fs.sidecar().file());
    }
    throw new FileSystemException(p.toString(), null, "is a directory");
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    BucketPath p = path(dir);
    Object found = find(p);
    List<String> names = new ArrayList<>();
    if (found instanceof Dir d) {
      names.addAll(d.children().keySet());
      if (p.names().isEmpty()) {
        names.add(KeyNames.RESERVED);
      }
    } else if (found == Own.DIR) {
      names.add(MetadataSidecar.FILE_NAME);
    } else {
      throw new NotDirectoryException(p.toString());
    }
    List<Path> entries = new ArrayList<>(names.size());
    for (String n : names) {
      Path child = dir.resolve(n);
      if (filter.accept(child)) {
        entries.add(child);
      }
    }
    return new DirectoryStream<>() {
      private boolean iterated;

      @Override
      public Iterator<Path> iterator() {
        if (iterated) {
          throw new IllegalStateException("iterator already obtained");
        }
        iterated = true;
        return entries.iterator();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void delete(Path path) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public boolean isSameFile(Path path, Path path2) {
    return path(path).equals(path(path2));
  }

  @Override
  public boolean isHidden(Path path) {
    return false;
  }

  @Override
  public FileStore getFileStore(Path path) {
    throw new UnsupportedOperationException("a bucket snapshot has no file store");
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    for (AccessMode m : modes) {
      if (m == AccessMode.WRITE) {
        throw new ReadOnlyFileSystemException();
      }
    }
    find(path(path));
  }

  @Override
  public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
    if (type != BasicFileAttributeView.class) {
      return null;
    }
    BucketPath p = path(path);
    return type.cast(new BasicFileAttributeView() {
      @Override
      public String name() {
        return "basic";
      }

      @Override
      public BasicFileAttributes readAttributes() throws IOException {
        return attributes(p);
      }

      @Override
      public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
        throw new ReadOnlyFileSystemException();
      }
    });
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
      throws IOException {
    if (!type.isAssignableFrom(Attributes.class)) {
      throw new UnsupportedOperationException("a bucket snapshot has only basic attributes, not " + type.getName());
    }
    return (A) attributes(path(path));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    String list = attributes;
    int colon = attributes.indexOf(':');
    if (colon >= 0) {
      if (!attributes.substring(0, colon).equals("basic")) {
        throw new UnsupportedOperationException("a bucket snapshot has only basic attributes, not " + attributes);
      }
      list = attributes.substring(colon + 1);
    }
    Attributes a = attributes(path(path));
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("lastModifiedTime", a.lastModifiedTime());
    all.put("lastAccessTime", a.lastAccessTime());
    all.put("creationTime", a.creationTime());
    all.put("size", a.size());
    all.put("isRegularFile", a.isRegularFile());
    all.put("isDirectory", a.isDirectory());
    all.put("isSymbolicLink", false);
    all.put("isOther", false);
    all.put("fileKey", a.fileKey());
    if (list.equals("*")) {
      return all;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : list.split(",")) {
      if (!all.containsKey(name)) {
        throw new IllegalArgumentException("no attribute '" + name + "' in a bucket snapshot");
      }
      out.put(name, all.get(name));
    }
    return out;
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
    throw new ReadOnlyFileSystemException();
  }

  private Attributes attributes(BucketPath p) throws IOException {
    Object found = find(p);
    if (found instanceof ObjectFile f) {
      // the ETag stands in for an inode: with size and time it tells a changed object from the parent's
      return new Attributes(false, f.size(), f.lastModifiedMillis(), f.etag());
    }
    if (found instanceof Dir d) {
      return new Attributes(true, 0, d.lastModifiedMillis(), null);
    }
    long newest = fs.listing().root().lastModifiedMillis();
    if (found == Own.FILE) {
      // the content digest stands in for an inode: metadata can change while sizes and times do not
      return new Attributes(false, Files.size(fs.sidecar().file()), newest, fs.sidecar().digest());
    }
    return new Attributes(true, 0, newest, null);
  }

  /** A file's or directory's basic attributes. */
  record Attributes(boolean directory, long size, long mtimeMillis, Object fileKey) implements BasicFileAttributes {
    @Override
    public FileTime lastModifiedTime() {
      return FileTime.fromMillis(mtimeMillis);
    }

    @Override
    public FileTime lastAccessTime() {
      return lastModifiedTime();
    }

    @Override
    public FileTime creationTime() {
      return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
      return !directory;
    }

    @Override
    public boolean isDirectory() {
      return directory;
    }

    @Override
    public boolean isSymbolicLink() {
      return false;
    }

    @Override
    public boolean isOther() {
      return false;
    }
  }
}
