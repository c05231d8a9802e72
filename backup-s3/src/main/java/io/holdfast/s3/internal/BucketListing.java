package io.holdfast.s3.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The pinned listing of a bucket prefix as a directory tree: prefixes are directories, objects are
 * files named by {@link KeyNames}. Built once by one thread ({@link #add} then {@link #freeze});
 * read-only and safe to share after that.
 *
 * <p>Memory: a tree node per key holding its name, version id, ETag, size and time (about 220
 * bytes per key for typical keys, version ids and ETags); keys are not kept, they are rebuilt from
 * the path when an object is opened.
 */
public final class BucketListing {
  /**
   * A listed object: its version (null when unversioned), ETag, size and last-modified time. The
   * two ids are kept as one UTF-8 array: millions of these are held at once.
   */
  public static final class ObjectFile implements Entry {
    private static final byte[] NULL_VERSION = {};
    private final byte[] ids;
    private final int split;
    private final long size;
    private final long lastModifiedMillis;

    public ObjectFile(String versionId, String etag, long size, long lastModifiedMillis) {
      byte[] v = versionId == null ? NULL_VERSION : versionId.getBytes(StandardCharsets.UTF_8);
      byte[] e = (etag == null ? "" : etag).getBytes(StandardCharsets.UTF_8);
      this.ids = Arrays.copyOf(v, v.length + e.length);
      System.arraycopy(e, 0, ids, v.length, e.length);
      this.split = versionId == null ? -1 : v.length;
      this.size = size;
      this.lastModifiedMillis = lastModifiedMillis;
    }

    public String versionId() {
      return split < 0 ? null : new String(ids, 0, split, StandardCharsets.UTF_8);
    }

    public String etag() {
      int from = Math.max(split, 0);
      return new String(ids, from, ids.length - from, StandardCharsets.UTF_8);
    }

    public long size() {
      return size;
    }

    public long lastModifiedMillis() {
      return lastModifiedMillis;
    }

    @Override
    public String toString() {
      return "ObjectFile[version " + versionId() + ", etag " + etag() + ", " + size + " bytes]";
    }
  }

  /** A directory: a common prefix of keys. */
  public static final class Dir implements Entry {
    private Map<String, Entry> children = new TreeMap<>();
    private Map<String, ObjectFile> files = new TreeMap<>();
    private long lastModifiedMillis;

    public Map<String, Entry> children() {
      return children;
    }

    /** The newest last-modified time of anything beneath. */
    public long lastModifiedMillis() {
      return lastModifiedMillis;
    }
  }

  /** A node of the tree. */
  public sealed interface Entry permits Dir, ObjectFile {}

  private final Dir root = new Dir();
  private long count;
  private long bytes;
  private boolean frozen;

  /** Adds the object at relative key {@code key}; a key seen twice keeps the first. */
  public void add(String key, ObjectFile file) {
    if (frozen) {
      throw new IllegalStateException("listing is frozen");
    }
    List<String> names = KeyNames.names(key);
    Dir dir = root;
    for (int i = 0; i < names.size() - 1; i++) {
      Entry e = dir.children.computeIfAbsent(names.get(i), n -> new Dir());
      dir = (Dir) e;
    }
    if (dir.files.putIfAbsent(names.get(names.size() - 1), file) == null) {
      count++;
      bytes += file.size();
    }
  }

  /**
   * Ends the listing: a file whose name is also a directory is renamed with
   * {@link KeyNames#FILE_MARK}; directory times are set.
   */
  public BucketListing freeze() {
    freeze(root);
    frozen = true;
    return this;
  }

  private static long freeze(Dir dir) {
    long newest = 0;
    for (Entry e : dir.children.values()) {
      newest = Math.max(newest, freeze((Dir) e));
    }
    for (Map.Entry<String, ObjectFile> f : dir.files.entrySet()) {
      String name = dir.children.containsKey(f.getKey()) ? f.getKey() + KeyNames.FILE_MARK : f.getKey();
      dir.children.put(name, f.getValue());
      newest = Math.max(newest, f.getValue().lastModifiedMillis());
    }
    dir.files = null;
    dir.lastModifiedMillis = newest;
    return newest;
  }

  public Dir root() {
    return root;
  }

  /** Number of objects. */
  public long count() {
    return count;
  }

  /** Their total size. */
  public long bytes() {
    return bytes;
  }

  /** The entry at {@code names} under the root, or null. */
  public Entry find(List<String> names) {
    Entry e = root;
    for (String n : names) {
      if (!(e instanceof Dir d)) {
        return null;
      }
      e = d.children.get(n);
      if (e == null) {
        return null;
      }
    }
    return e;
  }

  /** Visits every object, depth first in name order, with its path names. */
  public void forEachObject(BiConsumer<List<String>, ObjectFile> visitor) {
    walk(root, new ArrayList<>(), visitor);
  }

  private static void walk(Dir dir, List<String> path, BiConsumer<List<String>, ObjectFile> visitor) {
    for (Iterator<Map.Entry<String, Entry>> it = dir.children.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Entry> e = it.next();
      path.add(e.getKey());
      if (e.getValue() instanceof Dir d) {
        walk(d, path, visitor);
      } else {
        visitor.accept(List.copyOf(path), (ObjectFile) e.getValue());
      }
      path.remove(path.size() - 1);
    }
  }
}
