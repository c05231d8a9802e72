package io.holdfast.posix;

import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.BlobKeys;
import io.holdfast.storage.BlobStore;
import io.holdfast.storage.BlobStoreCapabilities;
import io.holdfast.storage.ByteRange;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} in a directory: the object {@code data/ab/abcd...} is the file {@code
 * <root>/data/ab/abcd...}. The root may be on any {@link java.nio.file.FileSystem} whose provider
 * supports {@link FileChannel} (the default one, or jimfs in tests).
 *
 * <p><b>Writing.</b> A put writes the bytes to a temporary file {@code .tmp-<random>} in the
 * object's directory, forces it to disk, then publishes it under its final name, and finally
 * forces the directory (where the platform can: Linux can, Windows and jimfs cannot, and there it
 * is skipped). Publishing uses a hard link ({@link Files#createLink}) where the file system has
 * them: a link never replaces an existing name, so write-once holds even against other processes
 * writing the same repository. Where links are unavailable the store falls back to an existence
 * check and an {@link StandardCopyOption#ATOMIC_MOVE atomic move} under a per-key lock; that is
 * write-once among the puts of this process, but a put from another process at the same instant
 * could replace the object (with the same bytes, since the repository names objects by their
 * content). A failed put deletes its temporary file; one left behind by a crash, and any other
 * name starting with {@code '.'}, is never listed and can never be a key ({@link BlobKeys}).
 * Parent directories are created on demand; deleting an object leaves its directory in place.
 *
 * <p><b>Errors.</b> JDK exceptions naming the key: {@link NoSuchFileException} for a missing
 * object (a directory is not an object), {@link FileAlreadyExistsException} for a second put,
 * {@link EOFException} for a range past the end, and {@link NotDirectoryException} for a put
 * whose parent path is an existing object (the in-memory store can hold both {@code a} and {@code
 * a/b}; a directory cannot). Other I/O errors come straight from the file system.
 *
 * <p>Safe for use by many threads and by several stores on one root. The store holds no open
 * files between calls; {@link #close()} does nothing and does not close the root's file system.
 */
public final class LocalBlobStore implements BlobStore {

  private static final Logger log = LoggerFactory.getLogger(LocalBlobStore.class);

  /** Names of files being written; {@link BlobKeys} keeps every key from starting this way. */
  static final String TEMP_PREFIX = ".tmp-";

  /** The largest array a JVM reliably allocates. */
  private static final int MAX_OBJECT_SIZE = Integer.MAX_VALUE - 8;

  /**
   * Serialise check-then-move for one key where links are unavailable. Static, so two stores on
   * the same root in one process exclude each other too; striped, so distinct keys rarely wait.
   */
  private static final Object[] MOVE_LOCKS = new Object[64];

  static {
    for (int i = 0; i < MOVE_LOCKS.length; i++) {
      MOVE_LOCKS[i] = new Object();
    }
  }

  private final Path root;

  /** Cleared the first time the file system says it has no hard links at all. */
  private volatile boolean hardLinks;

  /**
   * A store in {@code root}, which is created (with its parents) if it does not exist.
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code root} exists but is not a directory
   * @throws IOException if {@code root} cannot be created
   */
  public LocalBlobStore(Path root) throws IOException {
    this(root, true);
  }

  /**
   * With {@code hardLinks} false, publishes by move even where links work: lets tests run the
   * fallback on a real disk, where (unlike jimfs) a rename silently replaces its target.
   */
  LocalBlobStore(Path root, boolean hardLinks) throws IOException {
    this.root = Objects.requireNonNull(root, "root");
    this.hardLinks = hardLinks;
    if (!Files.isDirectory(root)) {
      Files.createDirectories(root);
      Path parent = root.toAbsolutePath().getParent();
      if (parent != null) {
        syncDirectory(parent);
      }
    }
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    Objects.requireNonNull(data, "data");
    put(key, data, 0, data.length);
  }

  @Override
  public void put(String key, byte[] data, int off, int len) throws IOException {
    Path target = resolve(key);
    Objects.requireNonNull(data, "data");
    Objects.checkFromIndexSize(off, len, data.length);
    // Refuse early so a repeated put does not write the whole object first; publish() makes the
    // decisive check.
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(key);
    }
    Path dir = target.getParent();
    boolean newDirectories = createDirectories(key, dir);

    Path temp = dir.resolve(TEMP_PREFIX + randomSuffix());
    // Opened outside the try: if creating it fails, there is no file of ours to delete.
    FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      try (channel) {
        ByteBuffer buffer = ByteBuffer.wrap(data, off, len);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      publish(key, temp, target);
    } catch (Throwable failure) {
      deleteAfterFailure(temp, failure);
      throw failure;
    }

    syncDirectory(dir);
    if (newDirectories) {
      // A new directory's own entry lives in its parent, up to the root.
      for (Path d = dir.getParent(); d != null && d.startsWith(root); d = d.getParent()) {
        syncDirectory(d);
      }
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    Path path = resolve(key);
    requireObject(key, path);
    try (FileChannel channel = open(key, path)) {
      long size = channel.size();
      if (size > MAX_OBJECT_SIZE) {
        throw new IOException(key + ": " + size + " bytes do not fit in one array; read ranges");
      }
      byte[] data = new byte[(int) size];
      readFully(key, channel, ByteBuffer.wrap(data), 0);
      return data;
    }
  }

  @Override
  public byte[] get(String key, long offset, int length) throws IOException {
    Path path = resolve(key);
    ByteRange range = new ByteRange(offset, length);
    requireObject(key, path);
    try (FileChannel channel = open(key, path)) {
      range.requireWithin(key, channel.size());
      byte[] data = new byte[length];
      readFully(key, channel, ByteBuffer.wrap(data), offset);
      return data;
    }
  }

  @Override
  public BlobInfo stat(String key) throws IOException {
    return new BlobInfo(key, requireObject(key, resolve(key)).size());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Walks only the directory named by the prefix up to its last {@code '/'} ({@code "data/ab"}
   * walks {@code data}, skipping subdirectories not starting with {@code ab}); a missing directory
   * lists as empty. Objects deleted during the walk are left out rather than failing it.
   */
  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    BlobKeys.requireValidPrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : resolveSegments(prefix.substring(0, slash));
    String namePrefix = prefix.substring(slash + 1);
    List<BlobInfo> found = new ArrayList<>();
    if (!Files.isDirectory(start)) {
      return found;
    }
    // FOLLOW_LINKS: a repository may keep, say, data/ on another disk behind a symbolic link.
    Files.walkFileTree(
        start,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(start)) {
              return FileVisitResult.CONTINUE;
            }
            String name = dir.getFileName().toString();
            boolean cannotMatch =
                name.startsWith(".")
                    || (dir.getParent().equals(start) && !name.startsWith(namePrefix));
            return cannotMatch ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(".")) {
              String key = keyOf(file);
              if (key.startsWith(prefix)) {
                found.add(new BlobInfo(key, attrs.size()));
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // deleted while we walked
            }
            throw e;
          }
        });
    return found;
  }

  @Override
  public void delete(String key) throws IOException {
    Path path = resolve(key);
    requireObject(key, path);
    try {
      Files.delete(path);
    } catch (NoSuchFileException e) {
      throw missing(key, e);
    }
  }

  @Override
  public BlobStoreCapabilities capabilities() {
    // Local disks serve a few requests in parallel well even on one core: I/O waits overlap.
    return new BlobStoreCapabilities(Math.max(2, Runtime.getRuntime().availableProcessors()), true);
  }

  @Override
  public String toString() {
    return "LocalBlobStore[" + root.toUri() + "]";
  }

  private Path resolve(String key) {
    return resolveSegments(BlobKeys.requireValidKey(key));
  }

  /** Resolves segment by segment: the root's file system may not use '/' as its separator. */
  private Path resolveSegments(String slashSeparated) {
    Path path = root;
    for (String segment : slashSeparated.split("/")) {
      path = path.resolve(segment);
    }
    return path;
  }

  private String keyOf(Path file) {
    StringBuilder key = new StringBuilder();
    for (Path name : root.relativize(file)) {
      if (key.length() > 0) {
        key.append('/');
      }
      key.append(name);
    }
    return key.toString();
  }

  /** Creates {@code dir} if needed; true if it did not exist. */
  private static boolean createDirectories(String key, Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return false;
    }
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      // A file, not a directory, is in the way: an object whose key is a prefix of this key.
      // Not reported as FileAlreadyExistsException, which would claim this key exists.
      NotDirectoryException notDirectory = new NotDirectoryException(key);
      notDirectory.initCause(e);
      throw notDirectory;
    }
    return true;
  }

  private void publish(String key, Path temp, Path target) throws IOException {
    if (hardLinks) {
      try {
        // link(2) never replaces an existing name: of racing puts of one key, exactly one wins.
        Files.createLink(target, temp);
        deleteQuietly(temp);
        return;
      } catch (FileAlreadyExistsException e) {
        FileAlreadyExistsException exists = new FileAlreadyExistsException(key);
        exists.initCause(e);
        throw exists;
      } catch (UnsupportedOperationException e) {
        hardLinks = false;
      } catch (FileSystemException e) {
        // Linux reports EPERM from file systems without links (vfat, some network mounts); the
        // move below either works or fails with the real reason.
        log.debug("cannot link {}, moving instead: {}", target, e.toString());
      }
    }
    synchronized (MOVE_LOCKS[Math.floorMod(key.hashCode(), MOVE_LOCKS.length)]) {
      // A rename replaces an existing target and Java has no rename that refuses to, hence the
      // check under the lock (see the class comment for what it does not cover).
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(key);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** The object's attributes; a missing path or a directory is no object. */
  private static BasicFileAttributes requireObject(String key, Path path) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw missing(key, e);
    }
    if (!attrs.isRegularFile()) {
      throw new NoSuchFileException(key, null, "not an object: " + path);
    }
    return attrs;
  }

  private static FileChannel open(String key, Path path) throws IOException {
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw missing(key, e); // deleted since requireObject looked
    }
  }

  private static void readFully(String key, FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, position);
      if (read < 0) {
        throw new EOFException(
            key + ": ends at byte " + position + ", " + buffer.remaining() + " bytes short");
      }
      position += read;
    }
  }

  private static NoSuchFileException missing(String key, NoSuchFileException cause) {
    NoSuchFileException missing = new NoSuchFileException(key);
    missing.initCause(cause);
    return missing;
  }

  private static String randomSuffix() {
    byte[] random = new byte[16];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /**
   * Makes a directory's entries durable where the platform can. Linux can; Windows and jimfs
   * cannot open a directory as a channel, and there the file system offers nothing better.
   */
  private static void syncDirectory(Path dir) {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException e) {
      return;
    }
    try (channel) {
      channel.force(true);
    } catch (IOException e) {
      // The object is already visible, so failing the put now would break put's contract (an
      // exception means no object); the disk is likely failing and a reader will notice.
      log.warn("cannot force directory {} to disk: {}", dir, e.toString());
    }
  }

  private static void deleteAfterFailure(Path temp, Throwable failure) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** After publication the object is safe; a left-over temporary file is harmless clutter. */
  private static void deleteQuietly(Path temp) {
    try {
      Files.delete(temp);
    } catch (IOException e) {
      log.warn("cannot delete temporary file {}: {}", temp, e.toString());
    }
  }
}
