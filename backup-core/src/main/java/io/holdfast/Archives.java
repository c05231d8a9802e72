package io.holdfast;

import io.holdfast.internal.archive.ArchiveImporter;
import io.holdfast.internal.archive.EntrySink;
import io.holdfast.internal.archive.SnapshotExporter;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.SnapshotManifest;
import io.holdfast.spi.SnapshotProvider.Capability;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Snapshots as archives and back (DESIGN.md section 6): {@link #export} streams a snapshot, or a
 * part of it, as tar, tar.gz, tar.zst or zip; {@link #importInto} reads a tar or zip stream as a
 * new snapshot of a plan, for moving data between clusters and for {@code ... | gunzip | import -}.
 *
 * <p>Both stream: an export walks the trees in order and writes each file's blobs as they are
 * loaded; an import chunks each entry's data as it arrives. Memory does not grow with the data;
 * an import holds the directory structure (about half a KiB per entry) until it builds the trees
 * at the end. Both take the repository's shared lock, like a backup, and release it before they
 * return. Builders are not thread-safe; separate exports and imports may run concurrently.
 */
public final class Archives {
  private Archives() {}

  /** An export of {@code repository}'s latest snapshot, whole, as tar until told otherwise. */
  public static Export export(Repository repository) {
    return new Export(repository);
  }

  /** An import into {@code repository} as a new snapshot of the backup plan named {@code plan}. */
  public static Import importInto(Repository repository, String plan) {
    return new Import(repository, plan);
  }

  /**
   * What an export wrote: the snapshot's id, entries by kind, file bytes, and the entries the
   * format cannot hold (each "path: why"), which were left out.
   */
  public record ExportReport(String snapshotId, ArchiveFormat format, long files, long dirs, long others, long bytes,
      List<String> skipped) {
    public ExportReport {
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * What an import stored: the new snapshot's id, the format detected, the datasets (top-level
   * directories), entries by kind, file bytes read, bytes new to the repository, and warnings.
   */
  public record ImportReport(String snapshotId, String format, List<String> datasets, long files, long dirs,
      long others, long bytes, long bytesAdded, List<String> warnings) {
    public ImportReport {
      datasets = List.copyOf(datasets);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * How much an import accepts before it refuses the archive. The defaults: 1 TiB per entry, 16
   * TiB in all, 2 million entries (the directory structure held in memory is about half a KiB per
   * entry).
   */
  public record Limits(long maxEntryBytes, long maxTotalBytes, long maxEntries) {
    public Limits {
      if (maxEntryBytes < 0 || maxTotalBytes < 0 || maxEntries < 0) {
        throw new IllegalArgumentException("import limits must not be negative: " + maxEntryBytes + ", "
            + maxTotalBytes + ", " + maxEntries);
      }
    }

    public static Limits defaults() {
      return new Limits(1L << 40, 16L << 40, 2_000_000);
    }

    public Limits withMaxEntryBytes(long n) {
      return new Limits(n, maxTotalBytes, maxEntries);
    }

    public Limits withMaxTotalBytes(long n) {
      return new Limits(maxEntryBytes, n, maxEntries);
    }

    public Limits withMaxEntries(long n) {
      return new Limits(maxEntryBytes, maxTotalBytes, n);
    }
  }

  /**
   * One export: which snapshot (as a restore picks it), which path in it, which format. Used once
   * or many times; each {@link #writeTo} is a separate export.
   */
  public static final class Export {
    private final Repository repository;
    private String snapshot = "latest";
    private final Set<String> tags = new LinkedHashSet<>();
    private Instant asOf;
    private String path = "";
    private ArchiveFormat format = ArchiveFormat.TAR;
    private Clock clock = Clock.systemDefaultZone();
    private int parallelism = Math.min(8, Runtime.getRuntime().availableProcessors() * 2);
    private final List<BackupListener> listeners = new ArrayList<>();

    private Export(Repository repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
    }

    /** A snapshot id, a unique prefix of one, or {@code latest} (the default). */
    public Export snapshot(String idOrLatest) {
      this.snapshot = Objects.requireNonNull(idOrLatest, "snapshot");
      return this;
    }

    /** With latest: only snapshots carrying this tag. */
    public Export tag(String tag) {
      tags.add(Objects.requireNonNull(tag, "tag"));
      return this;
    }

    /** With latest: only snapshots of this backup plan. */
    public Export plan(String name) {
      return tag(io.holdfast.internal.repo.SnapshotFile.planTag(Objects.requireNonNull(name, "plan")));
    }

    /** With latest: the latest snapshot at or before this instant. */
    public Export asOf(Instant instant) {
      this.asOf = Objects.requireNonNull(instant, "asOf");
      return this;
    }

    /**
     * Only this path of the snapshot ({@code config}, {@code config/app.conf}); "" (the default)
     * for all of it. The archive's entries are named from the path's last component down.
     */
    public Export path(String subtree) {
      this.path = Objects.requireNonNull(subtree, "path");
      return this;
    }

    public Export format(ArchiveFormat f) {
      this.format = Objects.requireNonNull(f, "format");
      return this;
    }

    /** Threads that load blobs ahead of the writer. */
    public Export parallelism(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + n);
      }
      this.parallelism = n;
      return this;
    }

    /** The clock that judges lock staleness (tests pass a fake one). */
    public Export clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /**
     * Hears the export's progress, as run {@code export}: a {@link BackupListener#status status}
     * line when it starts writing, then entries and content bytes written so far as {@link
     * BackupListener#progress progress}. Called on the writing thread; what it throws is logged.
     */
    public Export listener(BackupListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /**
     * Writes the archive to {@code out}, which is flushed but not closed.
     *
     * @throws HoldfastException if the snapshot or path is not found, the repository cannot be
     *     opened or locked, or a blob is damaged ({@link IntegrityException}); the stream then holds a
     *     partial archive, which the caller should discard
     * @throws UncheckedIOException if writing to {@code out} fails
     */
    public ExportReport writeTo(OutputStream out) {
      Objects.requireNonNull(out, "out");
      if (!"latest".equals(snapshot) && (asOf != null || !tags.isEmpty())) {
        throw new IllegalArgumentException("asOf, tags and plan choose among snapshots: give latest, not a snapshot id");
      }
      // an export reads: it never creates a repository, even from one that would
      io.holdfast.internal.repo.Repository repo = BackupRun.open(repository, clock, false);
      try (RepositoryLock lock = RepositoryLock.acquire(repo, false);
          SnapshotExporter exporter = new SnapshotExporter(repo, parallelism)) {
        io.holdfast.internal.repo.Repository.Snapshot snap = repo.findSnapshot(snapshot, tags, asOf);
        EntrySink sink = EntrySink.open(format, out);
        SnapshotExporter.Result r = exporter.export(Id.parse(snap.file().tree()), path, sink,
            new RunLog("export", clock, List.copyOf(listeners)).progress());
        sink.finish();
        return new ExportReport(snap.id().hex(), format, r.files(), r.dirs(), r.others(), r.bytes(), r.skipped());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the " + format.extension() + " archive: " + e.getMessage(), e);
      } finally {
        repo.close();
      }
    }
  }

  /**
   * One import: into which plan, with which limits and allowances. {@link #readFrom} reads one
   * archive and commits one snapshot; a refused or failed import commits nothing.
   */
  public static final class Import {
    private final Repository repository;
    private final String plan;
    private Limits limits = Limits.defaults();
    private boolean allowDevices;
    private boolean allowLinksOutside;
    private String dataset;
    private String appVersion;
    private final List<String> tags = new ArrayList<>();
    private Clock clock = Clock.systemDefaultZone();
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private final List<BackupListener> listeners = new ArrayList<>();

    private Import(Repository repository, String plan) {
      this.repository = Objects.requireNonNull(repository, "repository");
      if (plan == null || !BackupPlan.NAME.matcher(plan).matches()) {
        throw new IllegalArgumentException("plan name '" + plan
            + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
      }
      this.plan = plan;
    }

    public Import limits(Limits l) {
      this.limits = Objects.requireNonNull(l, "limits");
      return this;
    }

    /** Accept block and character device entries (refused by default: a restore as root would make them). */
    public Import allowDevices() {
      this.allowDevices = true;
      return this;
    }

    /**
     * Accept symlinks whose target is absolute or leads out of the archive (refused by default).
     * Holdfast's restore never writes through a symlink, but other tools may.
     */
    public Import allowLinksOutside() {
      this.allowLinksOutside = true;
      return this;
    }

    /**
     * Put the whole archive into one dataset of this name (for archives of loose files, such as
     * {@code tar -C dir .}); its {@code ./} entry, if any, gives the directory's metadata. By
     * default the archive's top-level directories are the snapshot's datasets, and a top-level
     * entry that is not a directory is refused.
     */
    public Import dataset(String name) {
      if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")
          || name.equals(SnapshotManifest.DIR) || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("invalid dataset name '" + name + "'");
      }
      this.dataset = name;
      return this;
    }

    /** The application version to record; by default the one the archive's own manifest records, if any. */
    public Import appVersion(String version) {
      this.appVersion = version;
      return this;
    }

    /** An extra snapshot tag, besides {@code holdfast} and {@code plan:NAME}. */
    public Import tag(String tag) {
      if (tag == null || tag.isEmpty() || tag.contains(",")) {
        throw new IllegalArgumentException("tag '" + tag + "' is empty or contains ','");
      }
      tags.add(tag);
      return this;
    }

    public Import parallelism(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + n);
      }
      this.parallelism = n;
      return this;
    }

    /** The clock that timestamps the snapshot (tests pass a fake one). */
    public Import clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /**
     * Hears the import's progress, as run {@code PLAN}: a {@link BackupListener#status status} line
     * when it starts reading, then entries and archive bytes read so far as {@link
     * BackupListener#progress progress}, after each entry. What it throws is logged.
     */
    public Import listener(BackupListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /**
     * Reads a tar or zip archive from {@code in} (not closed): gzip or zstd compression and the
     * format are detected. A zip stream is copied to a temporary file first (zip keeps its Unix
     * modes at the end); prefer {@link #readFrom(Path)} for zip files.
     *
     * @throws IllegalArgumentException naming the entry, for an archive that is refused or
     *     damaged; no snapshot is written. Blobs already stored stay as unreferenced data until a
     *     prune removes them.
     * @throws HoldfastException if the repository cannot be opened, locked or written
     */
    public ImportReport readFrom(InputStream in) {
      Objects.requireNonNull(in, "in");
      return run(importer -> importer.read(in));
    }

    /** Reads the archive in {@code file}; a zip file is read in place. Otherwise as {@link #readFrom(InputStream)}. */
    public ImportReport readFrom(Path file) {
      Objects.requireNonNull(file, "file");
      return run(importer -> importer.read(file));
    }

    private interface Reading {
      ArchiveImporter.Result read(ArchiveImporter importer) throws IOException;
    }

    private ImportReport run(Reading reading) {
      io.holdfast.internal.repo.Repository repo = BackupRun.open(repository, clock);
      try (RepositoryLock lock = RepositoryLock.acquire(repo, false); Archiver archiver = new Archiver(repo, parallelism)) {
        Instant started = clock.instant();
        ArchiveImporter importer = new ArchiveImporter(repo, archiver, new ArchiveImporter.Options(
            limits.maxEntryBytes(), limits.maxTotalBytes(), limits.maxEntries(), allowDevices, allowLinksOutside,
            dataset), new RunLog(plan, clock, List.copyOf(listeners)).progress());
        ArchiveImporter.Result r;
        try {
          r = reading.read(importer);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the archive: " + e.getMessage(), e);
        }
        List<Node> roots = new ArrayList<>(r.roots());
        List<String> datasets = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (Node n : roots) {
          datasets.add(n.name());
          paths.add("/holdfast/" + plan + "/" + n.name());
        }
        if (paths.isEmpty()) {
          paths.add("/holdfast/" + plan);
        }
        byte[] manifest = manifest(datasets, started, r);
        roots.add(archiver.syntheticDir(SnapshotManifest.DIR,
            List.of(archiver.syntheticFile(SnapshotManifest.FILE, manifest, clock.instant())), clock.instant()));
        List<String> allTags = new ArrayList<>(List.of("holdfast", io.holdfast.internal.repo.SnapshotFile.planTag(plan)));
        allTags.addAll(tags);
        Id parent = repo.latest(List.of(io.holdfast.internal.repo.SnapshotFile.planTag(plan)), null)
            .map(io.holdfast.internal.repo.Repository.Snapshot::id).orElse(null);
        lock.ensureHeld(); // as a backup: a lock others may take for stale no longer keeps a prune away
        Id id = archiver.commit(roots, paths, parent, allTags);
        return new ImportReport(id.hex(), r.format(), datasets, r.files(), r.dirs(), r.others(), r.bytes(),
            r.bytesAdded(), r.warnings());
      } finally {
        repo.close();
      }
    }

    /**
     * The new snapshot's manifest: this plan and host; per dataset, what the archive's own
     * manifest said of it (consistency, frozen_at, external references) when it has one.
     */
    private byte[] manifest(List<String> datasets, Instant started, ArchiveImporter.Result r) {
      SnapshotManifest source = null;
      if (r.sourceManifest() != null) {
        try {
          source = SnapshotManifest.parse(r.sourceManifest(), "the archive's " + SnapshotManifest.DIR + "/"
              + SnapshotManifest.FILE);
        } catch (RepositoryFormatException e) {
          source = null; // unreadable: the new manifest simply does not carry it over
        }
      }
      Map<String, SnapshotManifest.Dataset> sourceSets = new LinkedHashMap<>();
      if (source != null) {
        source.datasets().forEach(d -> sourceSets.put(d.name(), d));
      }
      String version = appVersion;
      if (version == null && source != null) {
        version = source.appVersion();
      }
      List<SnapshotManifest.Dataset> entries = new ArrayList<>();
      for (String name : datasets) {
        SnapshotManifest.Dataset d = sourceSets.get(name);
        entries.add(SnapshotManifest.Dataset.of(name, "archive", Capability.NONE,
            d == null ? ConsistencyLevel.NONE : d.consistencyLevel(), d == null ? null : d.frozenInstant(), null,
            Map.of("imported_from", r.format()), d == null ? Map.of() : d.externalReferences()));
      }
      return SnapshotManifest.of(plan, java.util.UUID.randomUUID().toString(), version,
          io.holdfast.internal.repo.Host.current().hostname(), started, List.of(), 0, entries).toJson();
    }
  }
}
