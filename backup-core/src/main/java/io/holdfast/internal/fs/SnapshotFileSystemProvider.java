package io.holdfast.internal.fs;

import io.holdfast.internal.repo.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.spi.FileSystemProvider;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider of every open {@link SnapshotFileSystem}, URI scheme {@code holdfast}
 * ({@code holdfast://KEY/path}, KEY naming one open file system). It is not installed: snapshot file
 * systems are opened through {@code io.holdfast.SnapshotFileSystems}, and {@link #getPath(URI)}
 * finds only file systems that are open. Every operation that would change a snapshot throws
 * {@link ReadOnlyFileSystemException}. Thread-safe.
 */
final class SnapshotFileSystemProvider extends FileSystemProvider {
  static final String SCHEME = "holdfast";
  static final SnapshotFileSystemProvider INSTANCE = new SnapshotFileSystemProvider();

  private final Map<String, SnapshotFileSystem> open = new ConcurrentHashMap<>();

  private SnapshotFileSystemProvider() {}

  void register(SnapshotFileSystem fs) {
    open.put(fs.key(), fs);
  }

  void unregister(SnapshotFileSystem fs) {
    open.remove(fs.key(), fs);
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public SnapshotFileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException("open a snapshot with io.holdfast.SnapshotFileSystems.open, not by URI");
  }

  @Override
  public SnapshotFileSystem getFileSystem(URI uri) {
    checkScheme(uri);
    SnapshotFileSystem fs = uri.getAuthority() == null ? null : open.get(uri.getAuthority());
    if (fs == null) {
      throw new FileSystemNotFoundException("no open snapshot file system '" + uri.getAuthority()
          + "' (for " + uri + "); it was closed or never opened");
    }
    return fs;
  }

  @Override
  public Path getPath(URI uri) {
    SnapshotFileSystem fs = getFileSystem(uri);
    String p = uri.getPath();
    return fs.getPath(p == null || p.isEmpty() ? "/" : p);
  }

  private static void checkScheme(URI uri) {
    if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a " + SCHEME + ": URI: " + uri);
    }
  }

  static boolean follows(LinkOption... options) {
    return !Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS);
  }

  private static SnapshotPath path(Path p) {
    if (!(p instanceof SnapshotPath sp)) {
      throw new ProviderMismatchException("'" + p + "' is not a path of a snapshot file system");
    }
    return sp;
  }

  // ---------------------------------------------------------------- reading

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
      FileAttribute<?>... attrs) throws IOException {
    SnapshotPath p = path(path);
    for (OpenOption o : options) {
      if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND
          || o == StandardOpenOption.DELETE_ON_CLOSE) {
        throw refuse(p);
      }
    }
    Node node = p.getFileSystem().resolve(p, !options.contains(LinkOption.NOFOLLOW_LINKS));
    if (node.isSymlink()) {
      throw new FileSystemException(p.toString(), null, "Too many levels of symbolic links (NOFOLLOW_LINKS)");
    }
    if (node.isDir()) {
      throw new FileSystemException(p.toString(), null, "Is a directory");
    }
    if (!node.isFile()) {
      throw new FileSystemException(p.toString(), null, "not a regular file (a " + node.type()
          + "); the snapshot holds no content for it");
    }
    return new BlobChannel(p.getFileSystem(), p, node);
  }

  @Override
  public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
    return Channels.newInputStream(newByteChannel(path, new HashSet<>(Arrays.asList(options))));
  }

  @Override
  public OutputStream newOutputStream(Path path, OpenOption... options) {
    throw refuse(path);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    SnapshotPath p = path(dir);
    Node node = p.getFileSystem().resolve(p, true);
    if (!node.isDir()) {
      throw new NotDirectoryException(p.toString());
    }
    return new SnapshotDirectoryStream(p, p.getFileSystem().listing(node, p), filter);
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    SnapshotPath p = path(link);
    Node node = p.getFileSystem().resolve(p, false);
    if (!node.isSymlink()) {
      throw new NotLinkException(p.toString());
    }
    return p.getFileSystem().getPath(node.linkTarget() == null ? "" : node.linkTarget());
  }

  @Override
  public boolean isSameFile(Path path, Path path2) throws IOException {
    SnapshotPath a = path(path);
    if (a.equals(path2)) {
      return true;
    }
    if (!(path2 instanceof SnapshotPath b) || b.getFileSystem() != a.getFileSystem()) {
      return false;
    }
    if (a.toRealPath().equals(b.toRealPath())) {
      return true;
    }
    // hard links: one file under two names, as the device and inode the tree records say
    Object key = readAttributes(a, BasicFileAttributes.class).fileKey();
    return key instanceof SnapshotAttributes.FileKey && key.equals(readAttributes(b, BasicFileAttributes.class).fileKey());
  }

  @Override
  public boolean isHidden(Path path) {
    SnapshotPath name = path(path).getFileName();
    return name != null && name.toString().startsWith(".");
  }

  @Override
  public FileStore getFileStore(Path path) throws IOException {
    SnapshotPath p = path(path);
    p.getFileSystem().resolve(p, true);
    return p.getFileSystem().store();
  }

  /** Reading is always allowed, writing never; executing where the mode has an execute bit. */
  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    SnapshotPath p = path(path);
    Node node = p.getFileSystem().resolve(p, true);
    for (AccessMode m : modes) {
      if (m == AccessMode.WRITE) {
        throw new AccessDeniedException(p.toString(), null, "read-only snapshot");
      }
      if (m == AccessMode.EXECUTE && (node.modeOrZero() & 0111) == 0) {
        throw new AccessDeniedException(p.toString(), null, "no execute permission");
      }
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
    SnapshotPath p = path(path);
    String name = type == BasicFileAttributeView.class ? "basic"
        : type == PosixFileAttributeView.class ? "posix"
        : type == FileOwnerAttributeView.class ? "owner" : null;
    return name == null ? null : (V) new SnapshotAttributeView(name, p, follows(options));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
      throws IOException {
    SnapshotPath p = path(path);
    if (type != BasicFileAttributes.class && type != PosixFileAttributes.class) {
      throw new UnsupportedOperationException("attributes " + type.getName()
          + ": a snapshot has BasicFileAttributes and PosixFileAttributes");
    }
    return (A) new SnapshotAttributes(p.getFileSystem().resolve(p, follows(options)));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    SnapshotPath p = path(path);
    return new SnapshotAttributes(p.getFileSystem().resolve(p, follows(options))).select(attributes);
  }

  // ---------------------------------------------------------------- writing: never

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) {
    throw refuse(dir);
  }

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) {
    throw refuse(link);
  }

  @Override
  public void createLink(Path link, Path existing) {
    throw refuse(link);
  }

  @Override
  public void delete(Path path) {
    throw refuse(path);
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) {
    throw refuse(target);
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) {
    throw refuse(source);
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
    throw refuse(path);
  }

  /** A closed file system says so first; an open one refuses every change. */
  private static ReadOnlyFileSystemException refuse(Path p) {
    path(p).getFileSystem().checkOpen();
    return new ReadOnlyFileSystemException();
  }
}
