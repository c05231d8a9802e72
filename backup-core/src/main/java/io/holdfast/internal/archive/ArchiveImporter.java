package io.holdfast.internal.archive;

import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.json.GoTime;
import io.holdfast.internal.Progress;
import io.holdfast.internal.repo.DeviceNumbers;
import io.holdfast.internal.repo.GoMode;
import io.holdfast.internal.repo.Host;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Repository;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tar or zip archive into a repository: file data chunked and stored as a backup stores
 * it (through the {@link Archiver}), every entry checked before anything of it is kept, and the
 * trees built at the end from a {@link Skeleton}. It writes no snapshot: the caller commits the
 * returned nodes, so an archive refused half-way leaves only unreferenced blobs behind (packs
 * that prune removes), never a visible snapshot. Files that hard links of the archive join share a
 * made-up inode number and record their count as links, so restores link them again.
 *
 * <p>Refused, with an {@link IllegalArgumentException} naming the entry: absolute names, {@code ..}
 * components, names with NUL, a name that appears twice, a symlink that is absolute or leads out
 * of the archive (unless allowed), a hard link to anything but an earlier file of the archive,
 * device nodes (unless allowed), entry types an import does not know, entries or totals over the
 * limits, a declared size that disagrees with the data, and a damaged archive. Used once, by one
 * thread.
 */
public final class ArchiveImporter {
  /** The metadata directory of a Holdfast snapshot's root; an archive's own is read, not imported. */
  public static final String META_DIR = io.holdfast.internal.repo.SnapshotManifest.DIR;
  public static final String MANIFEST = io.holdfast.internal.repo.SnapshotManifest.FILE;
  /** The longest manifest read from an archive. */
  private static final int MAX_MANIFEST = 1 << 20;
  /** Deeper paths than this are refused (Linux's PATH_MAX allows at most 2048). */
  static final int MAX_DEPTH = 2048;

  /**
   * What an import accepts.
   *
   * @param dataset null: the archive's top-level directories are the snapshot's datasets; else
   *     the whole archive becomes the one dataset of this name
   */
  public record Options(long maxEntryBytes, long maxTotalBytes, long maxEntries, boolean allowDevices,
      boolean allowLinksOutside, String dataset) {}

  /**
   * What was read: the top-level nodes (directories with their trees saved), the manifest the
   * archive carried (or null), and counts.
   */
  public record Result(String format, List<Node> roots, byte[] sourceManifest, long files, long dirs, long others,
      long bytes, long bytesAdded, List<String> warnings) {}

  private final Repository repo;
  private final Archiver archiver;
  private final Options options;
  private final Progress progress;
  private final ZoneId zone = ZoneId.systemDefault();
  private final Clock clock;
  private final Skeleton skeleton = new Skeleton();
  private final BackupStats stats = new BackupStats();
  private final List<String> warnings = new ArrayList<>();
  private long entries;
  private long total;
  private long files;
  private long dirs;
  private long others;
  private byte[] manifest;
  private SourceEntry rootEntry;
  /** The hard-link group of each file that an entry links to or that is a link, by path. */
  private final Map<List<String>, LinkGroup> linkGroups = new HashMap<>();

  /**
   * Files of the archive that are hard links of each other: they get one made-up inode number and
   * their count as links, so that a restore (Holdfast's or restic's) links them again.
   */
  private static final class LinkGroup {
    final long inode;
    final List<List<String>> members = new ArrayList<>();

    LinkGroup(long inode) {
      this.inode = inode;
    }
  }

  /** Entries and archive bytes read so far go to {@code progress} after each entry. */
  public ArchiveImporter(Repository repo, Archiver archiver, Options options, Progress progress) {
    this.repo = repo;
    this.archiver = archiver;
    this.options = options;
    this.progress = progress;
    this.clock = repo.clock();
  }

  /** Imports the archive read from {@code in} (not closed). */
  public Result read(InputStream in) throws IOException {
    try (EntrySource source = EntrySource.open(in, options.maxTotalBytes())) {
      return read(source);
    }
  }

  /** Imports the archive in {@code file}. */
  public Result read(Path file) throws IOException {
    try (EntrySource source = EntrySource.open(file, options.maxTotalBytes())) {
      return read(source);
    }
  }

  private Result read(EntrySource source) throws IOException {
    progress.step("import: reading " + source.format() + " entries");
    String last = null;
    while (true) {
      SourceEntry e;
      try {
        e = source.next();
      } catch (IOException ex) {
        throw new IllegalArgumentException("the archive is damaged" + (last == null ? "" : " after entry '" + last + "'")
            + ": " + ex.getMessage(), ex);
      }
      if (e == null) {
        break;
      }
      last = e.name();
      if (++entries > options.maxEntries()) {
        throw new IllegalArgumentException("the archive holds more than " + options.maxEntries()
            + " entries, the import's limit (at entry '" + e.name() + "')");
      }
      try {
        add(e, source);
      } catch (IOException ex) {
        throw new IllegalArgumentException("archive entry '" + e.name() + "' cannot be read: " + ex.getMessage(), ex);
      }
      progress.done(entries, total);
    }
    int rootDepth = options.dataset() == null ? 0 : 1;
    if (options.dataset() != null) {
      Node top = rootEntry == null ? implicitDir(options.dataset()) : node(options.dataset(), rootEntry);
      skeleton.put(List.of(options.dataset()), top, "./", this::implicitDir);
    }
    if (!options.allowLinksOutside()) {
      skeleton.checkLinks(rootDepth);
    }
    for (LinkGroup g : new java.util.HashSet<>(linkGroups.values())) {
      for (List<String> member : g.members) {
        Node n = skeleton.file(member);
        skeleton.replace(member, new Node(n.name(), n.type(), n.mode(), n.mtime(), n.atime(), n.ctime(), n.uid(),
            n.gid(), n.user(), n.group(), g.inode, null, n.size(), (long) g.members.size(), null, null, n.content(),
            null));
      }
    }
    List<Node> roots = skeleton.build(repo::saveTree);
    return new Result(source.format(), roots, manifest, files, dirs, others, total, stats.bytesAdded(),
        List.copyOf(warnings));
  }

  private void add(SourceEntry e, EntrySource source) throws IOException {
    List<String> parts = parts(e.name(), e.name());
    if (parts.isEmpty()) {
      if (e.kind() != SourceEntry.Kind.DIR) {
        throw new IllegalArgumentException("archive entry '" + e.name() + "' has no name");
      }
      rootEntry = e; // "./": the archive's root directory
      return;
    }
    if (options.dataset() == null && parts.get(0).equals(META_DIR)) {
      readMeta(e, parts, source);
      return;
    }
    if (options.dataset() == null && parts.size() == 1 && e.kind() != SourceEntry.Kind.DIR) {
      throw new IllegalArgumentException("archive entry '" + e.name() + "' is not inside a directory: a snapshot"
          + " holds one directory per dataset; import the archive into one dataset to keep loose entries");
    }
    if (options.dataset() != null) {
      parts.add(0, options.dataset());
    }
    if (parts.size() > MAX_DEPTH) {
      throw new IllegalArgumentException("archive entry '" + e.name() + "' is nested deeper than " + MAX_DEPTH);
    }
    String name = parts.get(parts.size() - 1);
    Node node;
    switch (e.kind()) {
      case FILE -> {
        node = file(e, name, source.content());
        files++;
      }
      case DIR -> {
        node = node(name, e);
        dirs++;
      }
      case HARDLINK -> {
        List<String> target = parts(e.link(), e.name());
        if (options.dataset() != null) {
          target.add(0, options.dataset());
        }
        Node earlier = target.isEmpty() ? null : skeleton.file(target);
        if (earlier == null) {
          throw new IllegalArgumentException("archive entry '" + e.name() + "' is a hard link to '" + e.link()
              + "', which is not a file earlier in the archive");
        }
        node = new Node(name, Node.FILE, earlier.mode(), earlier.mtime(), earlier.atime(), earlier.ctime(),
            earlier.uid(), earlier.gid(), earlier.user(), earlier.group(), null, null, earlier.size(), null, null,
            null, earlier.content(), null);
        files++;
        LinkGroup group = linkGroups.get(target);
        if (group == null) {
          group = new LinkGroup(linkGroups.size() + 1L);
          group.members.add(target);
          linkGroups.put(target, group);
        }
        group.members.add(parts);
        linkGroups.put(parts, group);
      }
      case SYMLINK, FIFO -> {
        node = node(name, e);
        others++;
      }
      case BLOCK_DEVICE, CHAR_DEVICE -> {
        if (!options.allowDevices()) {
          throw new IllegalArgumentException("archive entry '" + e.name() + "' is a device node; devices are"
              + " refused unless the import allows them");
        }
        node = node(name, e);
        others++;
      }
      default -> throw new IllegalStateException("unknown kind " + e.kind());
    }
    skeleton.put(parts, node, e.name(), this::implicitDir);
  }

  /** The archive's own .holdfast/manifest.json is kept aside; the rest of .holdfast/ is left out. */
  private void readMeta(SourceEntry e, List<String> parts, EntrySource source) throws IOException {
    if (parts.size() == 2 && parts.get(1).equals(MANIFEST) && e.kind() == SourceEntry.Kind.FILE) {
      byte[] b = source.content().readNBytes(MAX_MANIFEST + 1);
      if (b.length > MAX_MANIFEST) {
        warnings.add(e.name() + ": longer than " + MAX_MANIFEST + " bytes, not read");
      } else {
        manifest = b;
      }
    } else if (parts.size() > 1) {
      warnings.add(e.name() + ": Holdfast's metadata directory is not imported");
    }
  }

  private Node file(SourceEntry e, String name, InputStream content) throws IOException {
    if (e.size() > options.maxEntryBytes()) {
      throw new IllegalArgumentException("archive entry '" + e.name() + "' declares " + e.size()
          + " bytes, more than the import's limit of " + options.maxEntryBytes() + " per entry");
    }
    Counted in = new Counted(content, e.name());
    Node stored = archiver.store(node(name, e), in, stats);
    if (e.size() >= 0 && stored.sizeOrZero() != e.size()) {
      throw new IllegalArgumentException("archive entry '" + e.name() + "' declares " + e.size()
          + " bytes but holds " + stored.sizeOrZero());
    }
    return stored;
  }

  /** Counts an entry's bytes against the limits as they are read, so that no declared size is trusted. */
  private final class Counted extends FilterInputStream {
    private final String entry;
    private long read;

    Counted(InputStream in, String entry) {
      super(in);
      this.entry = entry;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        read += n;
        total += n;
        if (read > options.maxEntryBytes()) {
          throw new IllegalArgumentException("archive entry '" + entry + "' holds more than the import's limit of "
              + options.maxEntryBytes() + " bytes per entry");
        }
        if (total > options.maxTotalBytes()) {
          throw new IllegalArgumentException("the archive holds more than the import's limit of "
              + options.maxTotalBytes() + " bytes in all (at entry '" + entry + "')");
        }
      }
      return n;
    }

    @Override
    public void close() {
      // the archive's stream, not ours
    }
  }

  /**
   * The path components of an entry name: "./" prefixes, empty and "." components dropped.
   *
   * @throws IllegalArgumentException for absolute names, ".." components and NUL characters
   */
  static List<String> parts(String raw, String entry) {
    if (raw == null) {
      throw new IllegalArgumentException("archive entry '" + entry + "' has no name");
    }
    if (raw.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("archive entry '" + entry.replace("\0", "\\0")
          + "' has a NUL character in its name");
    }
    if (raw.startsWith("/")) {
      throw new IllegalArgumentException("archive entry '" + entry + "' has an absolute name ('" + raw + "')");
    }
    List<String> out = new ArrayList<>();
    for (String p : raw.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        throw new IllegalArgumentException("archive entry '" + entry + "' has a '..' component ('" + raw + "')");
      }
      out.add(p);
    }
    return out;
  }

  /** The node for an entry's metadata (a file's content comes later). */
  private Node node(String name, SourceEntry e) {
    long perms = GoMode.fromPosix(e.perms() & 07777);
    Instant mtime = e.mtime() == null ? clock.instant() : e.mtime();
    String m = GoTime.format(mtime, zone);
    String a = e.atime() == null ? m : GoTime.format(e.atime(), zone);
    String c = e.ctime() == null ? m : GoTime.format(e.ctime(), zone);
    return switch (e.kind()) {
      case FILE, HARDLINK -> new Node(name, Node.FILE, perms, m, a, c, e.uid(), e.gid(), e.user(), e.group(), null,
          null, e.size() < 0 ? 0L : e.size(), null, null, null, List.of(), null);
      case DIR -> new Node(name, Node.DIR, perms | GoMode.DIR, m, a, c, e.uid(), e.gid(), e.user(), e.group(), null,
          null, null, null, null, null, null, null);
      case SYMLINK -> new Node(name, Node.SYMLINK, perms | GoMode.SYMLINK, m, a, c, e.uid(), e.gid(), e.user(),
          e.group(), null, null, null, null, e.link(), null, null, null);
      case FIFO -> new Node(name, Node.FIFO, perms | GoMode.NAMED_PIPE, m, a, c, e.uid(), e.gid(), e.user(),
          e.group(), null, null, null, null, null, null, null, null);
      case BLOCK_DEVICE, CHAR_DEVICE -> {
        boolean chr = e.kind() == SourceEntry.Kind.CHAR_DEVICE;
        yield new Node(name, chr ? Node.CHARDEV : Node.DEV, perms | GoMode.DEVICE | (chr ? GoMode.CHAR_DEVICE : 0),
            m, a, c, e.uid(), e.gid(), e.user(), e.group(), null, null, null, null, null,
            DeviceNumbers.of(e.devMajor(), e.devMinor()), null, null);
      }
    };
  }

  /** A directory the archive implies but does not list: 0755, owned by this process, made now. */
  private Node implicitDir(String name) {
    String t = GoTime.format(clock.instant(), zone);
    Host h = Host.current();
    return new Node(name, Node.DIR, 0755L | GoMode.DIR, t, t, t, Math.max(0, h.uid()), Math.max(0, h.gid()), null,
        null, null, null, null, null, null, null, null, null);
  }
}
