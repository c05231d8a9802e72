package io.holdfast.posix;

import io.holdfast.spi.Dataset;
import io.holdfast.spi.SnapshotProvider;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A directory of an application's data, with include and exclude globs (matched against paths
 * relative to the root, '/'-separated, e.g. {@code cache/**}, {@code **}{@code /*.tmp}) and the
 * provider that freezes it. Immutable and thread-safe.
 *
 * <p>Excludes apply to files and directories (an excluded directory is not entered). Includes, if
 * any, apply to files, symlinks and special files: an entry is kept when it or one of its parent
 * directories matches an include; directories are always entered.
 */
public final class DirectoryDataset implements Dataset {
  private final String name;
  private final Path root;
  private final SnapshotProvider provider;
  private final List<String> includes;
  private final List<String> excludes;
  private final List<PathMatcher> includeMatchers;
  private final List<PathMatcher> excludeMatchers;

  private DirectoryDataset(Builder b) {
    this.name = b.name;
    this.root = b.root;
    this.provider = b.provider.apply(b.root);
    this.includes = List.copyOf(b.includes);
    this.excludes = List.copyOf(b.excludes);
    FileSystem fs = root.getFileSystem();
    this.includeMatchers = includes.stream().map(g -> fs.getPathMatcher("glob:" + g)).toList();
    this.excludeMatchers = excludes.stream().map(g -> fs.getPathMatcher("glob:" + g)).toList();
  }

  /** A dataset named {@code name} of the directory {@code root}, read live unless told otherwise. */
  public static Builder builder(String name, Path root) {
    return new Builder(name, root);
  }

  /** The directory, read live: the gate stays held until it is read. */
  public static DirectoryDataset live(String name, Path root) {
    return builder(name, root).build();
  }

  /** The directory, pre-copied: read while the app runs, then only the changes inside the hold. */
  public static DirectoryDataset preCopy(String name, Path root) {
    return builder(name, root).provider(PreCopySnapshotProvider::new).build();
  }

  @Override
  public String name() {
    return name;
  }

  public Path root() {
    return root;
  }

  @Override
  public SnapshotProvider provider() {
    return provider;
  }

  @Override
  public Optional<Path> location() {
    return Optional.of(root);
  }

  @Override
  public boolean excludes(String path, boolean directory) {
    Path p = root.getFileSystem().getPath(path);
    for (PathMatcher m : excludeMatchers) {
      if (m.matches(p)) {
        return true;
      }
    }
    if (directory || includeMatchers.isEmpty()) {
      return false;
    }
    for (int i = 1; i <= p.getNameCount(); i++) {
      Path prefix = p.subpath(0, i);
      for (PathMatcher m : includeMatchers) {
        if (m.matches(prefix)) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("kind", "directory");
    m.put("root", root.toAbsolutePath().toString());
    if (!includes.isEmpty()) {
      m.put("include", String.join(",", includes));
    }
    if (!excludes.isEmpty()) {
      m.put("exclude", String.join(",", excludes));
    }
    return m;
  }

  @Override
  public String toString() {
    return "DirectoryDataset[" + name + " at " + root + ", " + provider.name() + "]";
  }

  /** Builds a {@link DirectoryDataset}. */
  public static final class Builder {
    private final String name;
    private final Path root;
    private Function<Path, SnapshotProvider> provider = LiveSnapshotProvider::new;
    private final List<String> includes = new ArrayList<>();
    private final List<String> excludes = new ArrayList<>();

    private Builder(String name, Path root) {
      this.name = Objects.requireNonNull(name, "name");
      this.root = Objects.requireNonNull(root, "root");
    }

    public Builder include(String glob) {
      includes.add(Objects.requireNonNull(glob, "glob"));
      return this;
    }

    public Builder exclude(String glob) {
      excludes.add(Objects.requireNonNull(glob, "glob"));
      return this;
    }

    /** How the directory is frozen: a function from the root to its provider. */
    public Builder provider(Function<Path, SnapshotProvider> factory) {
      this.provider = Objects.requireNonNull(factory, "provider");
      return this;
    }

    /** @throws IllegalArgumentException for a malformed glob, naming it */
    public DirectoryDataset build() {
      for (String g : includes) {
        check(g);
      }
      for (String g : excludes) {
        check(g);
      }
      return new DirectoryDataset(this);
    }

    private void check(String glob) {
      try {
        root.getFileSystem().getPathMatcher("glob:" + glob);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("dataset " + name + ": invalid glob '" + glob + "': " + e.getMessage(), e);
      }
    }
  }
}
