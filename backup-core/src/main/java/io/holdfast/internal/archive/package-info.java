/**
 * Snapshots as tar and zip archives, and archives as snapshots ({@link io.holdfast.Archives} is
 * the public entry point).
 *
 * <h2>Export</h2>
 * {@link io.holdfast.internal.archive.SnapshotExporter} walks a snapshot's trees depth first in tree
 * order (a directory before what it holds) and hands each entry to an
 * {@link io.holdfast.internal.archive.EntrySink}; file data follows as its blobs are loaded, a
 * bounded number ahead of the writer. Entry names are relative, '/'-separated, directories end in
 * '/'. Tar is POSIX pax: modes (with setuid, setgid, sticky), uid/gid, user and group names,
 * mtimes to the nanosecond, symlinks, fifos, block and character devices; names, sizes and ids
 * that the ustar header cannot hold go into a pax extended header. Zip holds directories, files
 * and symlinks with their Unix modes, uid/gid (Info-ZIP "ux" field) and mtimes to 100 ns (NTFS
 * field); fifos, devices and sockets are left out and reported, user and group names are lost.
 * Sockets go into no archive. Files that share an inode are tar hard links to the first one
 * exported (zip: copies).
 *
 * <h2>Import</h2>
 * {@link io.holdfast.internal.archive.EntrySource} detects the compression (gzip, zstd, none) and
 * the format (tar, zip) from the first bytes. {@link io.holdfast.internal.archive.ArchiveImporter}
 * checks each entry before it keeps anything of it, chunks and stores file data as a backup does,
 * and keeps the directory structure in a {@link io.holdfast.internal.archive.Skeleton} from which
 * the trees are saved bottom-up once the archive has been read. The top-level directories become
 * the snapshot's datasets (or, if asked, the whole archive one dataset); an archive's own
 * {@code .holdfast/manifest.json} is read for its application version, consistency levels and
 * external references, and the import writes a new manifest. Nothing is committed until the whole
 * archive has been read and checked: a refused archive leaves unreferenced packs at most.
 */
package io.holdfast.internal.archive;
