package io.holdfast.internal.fs;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A path in a snapshot: unix-like, '/'-separated, absolute or relative. Purely syntactic like
 * {@code UnixPath}: no method but {@link #toRealPath} looks at the snapshot. The empty path has
 * one name, the empty string. Immutable and thread-safe.
 */
final class SnapshotPath implements Path {
  private final SnapshotFileSystem fs;
  private final boolean absolute;
  private final List<String> names;

  private SnapshotPath(SnapshotFileSystem fs, boolean absolute, List<String> names) {
    this.fs = fs;
    this.absolute = absolute;
    this.names = names;
  }

  /** Parses '/'-separated text; repeated and trailing slashes are dropped, NUL is refused. */
  static SnapshotPath parse(SnapshotFileSystem fs, String first, String... more) {
    StringBuilder b = new StringBuilder(first);
    for (String m : more) {
      if (!m.isEmpty()) {
        if (b.length() > 0) {
          b.append('/');
        }
        b.append(m);
      }
    }
    String text = b.toString();
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      throw new InvalidPathException(text, "NUL character not allowed", nul);
    }
    boolean abs = text.startsWith("/");
    List<String> parts = new ArrayList<>();
    for (String part : text.split("/+")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    if (!abs && parts.isEmpty()) {
      return empty(fs);
    }
    return new SnapshotPath(fs, abs, List.copyOf(parts));
  }

  /** The absolute path of these names (none of them empty, ".", ".." or containing '/'). */
  static SnapshotPath absolute(SnapshotFileSystem fs, List<String> names) {
    return new SnapshotPath(fs, true, List.copyOf(names));
  }

  static SnapshotPath root(SnapshotFileSystem fs) {
    return new SnapshotPath(fs, true, List.of());
  }

  private static SnapshotPath empty(SnapshotFileSystem fs) {
    return new SnapshotPath(fs, false, List.of(""));
  }

  private SnapshotPath with(boolean abs, List<String> parts) {
    if (!abs && parts.isEmpty()) {
      return empty(fs);
    }
    return new SnapshotPath(fs, abs, List.copyOf(parts));
  }

  private boolean isEmpty() {
    return !absolute && names.size() == 1 && names.get(0).isEmpty();
  }

  /** The names from the root, for an absolute path; "." and ".." are left as they are. */
  List<String> names() {
    return isEmpty() ? List.of() : names;
  }

  @Override
  public SnapshotFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public SnapshotPath getRoot() {
    return absolute ? root(fs) : null;
  }

  @Override
  public SnapshotPath getFileName() {
    if (names.isEmpty()) {
      return null;
    }
    if (isEmpty()) {
      return this;
    }
    return new SnapshotPath(fs, false, List.of(names.get(names.size() - 1)));
  }

  @Override
  public SnapshotPath getParent() {
    if (names.isEmpty() || (!absolute && names.size() == 1)) {
      return null;
    }
    return new SnapshotPath(fs, absolute, names.subList(0, names.size() - 1));
  }

  @Override
  public int getNameCount() {
    return names.size();
  }

  @Override
  public SnapshotPath getName(int index) {
    if (index < 0 || index >= names.size()) {
      throw new IllegalArgumentException("no name " + index + " in '" + this + "' (" + names.size() + " names)");
    }
    return new SnapshotPath(fs, false, List.of(names.get(index)));
  }

  @Override
  public SnapshotPath subpath(int beginIndex, int endIndex) {
    if (beginIndex < 0 || endIndex > names.size() || beginIndex >= endIndex) {
      throw new IllegalArgumentException("no subpath [" + beginIndex + ", " + endIndex + ") in '" + this
          + "' (" + names.size() + " names)");
    }
    return new SnapshotPath(fs, false, List.copyOf(names.subList(beginIndex, endIndex)));
  }

  @Override
  public boolean startsWith(Path other) {
    if (!(other instanceof SnapshotPath o) || o.fs != fs) {
      return false;
    }
    if (o.isEmpty()) {
      return isEmpty();
    }
    return absolute == o.absolute && !isEmpty() && o.names.size() <= names.size()
        && names.subList(0, o.names.size()).equals(o.names);
  }

  @Override
  public boolean startsWith(String other) {
    return startsWith(fs.path(other));
  }

  @Override
  public boolean endsWith(Path other) {
    if (!(other instanceof SnapshotPath o) || o.fs != fs) {
      return false;
    }
    if (o.absolute) {
      return equals(o);
    }
    if (o.isEmpty()) {
      return isEmpty();
    }
    return !isEmpty() && o.names.size() <= names.size()
        && names.subList(names.size() - o.names.size(), names.size()).equals(o.names);
  }

  @Override
  public boolean endsWith(String other) {
    return endsWith(fs.path(other));
  }

  @Override
  public SnapshotPath normalize() {
    List<String> out = new ArrayList<>();
    for (String n : names()) {
      if (n.equals(".")) {
        continue;
      }
      if (n.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
          continue;
        }
        if (absolute) {
          continue; // "/.." is "/"
        }
      }
      out.add(n);
    }
    return with(absolute, out);
  }

  @Override
  public SnapshotPath resolve(Path other) {
    SnapshotPath o = check(other);
    if (o.absolute) {
      return o;
    }
    if (o.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return o;
    }
    List<String> out = new ArrayList<>(names);
    out.addAll(o.names);
    return with(absolute, out);
  }

  @Override
  public SnapshotPath resolve(String other) {
    return resolve(fs.path(other));
  }

  @Override
  public SnapshotPath resolveSibling(String other) {
    return (SnapshotPath) resolveSibling(fs.path(other));
  }

  @Override
  public SnapshotPath relativize(Path other) {
    SnapshotPath o = check(other);
    if (absolute != o.absolute) {
      throw new IllegalArgumentException("'" + other + "' cannot be made relative to '" + this
          + "': one is absolute, the other is not");
    }
    List<String> a = names();
    List<String> b = o.names();
    int common = 0;
    while (common < a.size() && common < b.size() && a.get(common).equals(b.get(common))) {
      common++;
    }
    List<String> out = new ArrayList<>();
    for (int i = common; i < a.size(); i++) {
      out.add("..");
    }
    out.addAll(b.subList(common, b.size()));
    return with(false, out);
  }

  @Override
  public URI toUri() {
    try {
      return new URI(SnapshotFileSystemProvider.SCHEME, fs.key(), toAbsolutePath().toString(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot make a URI of '" + this + "': " + e.getMessage(), e);
    }
  }

  @Override
  public SnapshotPath toAbsolutePath() {
    return absolute ? this : root(fs).resolve(this);
  }

  @Override
  public SnapshotPath toRealPath(LinkOption... options) throws java.io.IOException {
    return fs.realPath(this, SnapshotFileSystemProvider.follows(options));
  }

  @Override
  public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("a snapshot never changes: there is nothing to watch");
  }

  @Override
  public int compareTo(Path other) {
    SnapshotPath o = (SnapshotPath) other;
    return Arrays.compareUnsigned(toString().getBytes(StandardCharsets.UTF_8),
        o.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SnapshotPath p && p.fs == fs && p.absolute == absolute && p.names.equals(names);
  }

  @Override
  public int hashCode() {
    return Objects.hash(System.identityHashCode(fs), absolute, names);
  }

  @Override
  public String toString() {
    String joined = String.join("/", names);
    return absolute ? "/" + joined : joined;
  }

  private SnapshotPath check(Path other) {
    Objects.requireNonNull(other, "other");
    if (!(other instanceof SnapshotPath o) || o.fs != fs) {
      throw new ProviderMismatchException("'" + other + "' is not a path of snapshot file system " + fs.key());
    }
    return o;
  }
}
