/**
 * Time travel: one snapshot of a repository as a read-only {@link java.nio.file.FileSystem}.
 *
 * <p>{@link io.holdfast.internal.fs.SnapshotFileSystem} is the file system and the entry point for
 * core code that has an open repository; the public entry is {@link io.holdfast.SnapshotFileSystems}.
 * Everything else here is package-private: the unix-like {@code SnapshotPath}, the provider (scheme
 * {@code holdfast}, not installed: it finds only open snapshot file systems), the attributes of a
 * tree node ({@code basic}, {@code owner}, {@code posix}, {@code unix} views), a seekable channel
 * that maps a file offset to one content blob by the blobs' lengths in the index, and small LRU
 * caches of trees and decoded blobs.
 *
 * <p>Reads follow the repository's read path: snapshot file, then trees from the root down, then
 * only the data blobs a read covers, each read as one ranged get of its pack and checked against
 * its id. Symbolic links are followed inside the snapshot (an absolute target is taken from the
 * snapshot's root), at most 40 per lookup.
 */
package io.holdfast.internal.fs;
