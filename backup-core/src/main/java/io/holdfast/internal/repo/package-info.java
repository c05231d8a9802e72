/**
 * The repository format: restic's, version 2 (compression) written, versions 1 and 2 read, so that
 * the standard {@code restic} tool reads every Holdfast repository and Holdfast reads restic's.
 * The normative text is restic's {@code doc/design.rst}; this page is what Holdfast implements of it
 * and the order in which it writes.
 *
 * <h2>Layout (keys in the {@link io.holdfast.storage.BlobStore})</h2>
 * <pre>
 * config                 encrypted JSON {"version":2,"id":hex32,"chunker_polynomial":hex}
 * keys/ID                plaintext JSON key file (scrypt N,r,p,salt; data = encrypted master key)
 * data/XY/ID             pack files, XY = first two hex digits of ID
 * index/ID               encrypted index files
 * snapshots/ID           encrypted snapshot files
 * locks/ID               encrypted lock files
 * </pre>
 * Every ID is the lowercase hex SHA-256 of the stored bytes; files are written once and never
 * changed. {@link io.holdfast.internal.repo.FileType} maps types to keys; stores never choose keys.
 *
 * <h2>Encryption</h2>
 * Every file but key files is {@code IV(16) || AES-256-CTR(plaintext) || Poly1305-AES(ciphertext)}
 * under the master key; a key file's {@code data} is the master key JSON encrypted the same way under
 * keys derived by scrypt from the password (64 bytes: AES key, then Poly1305 k, then r).
 *
 * <h2>Unpacked files (index, snapshot, lock)</h2>
 * Version 1: the plaintext is the JSON document. Version 2: the plaintext is one byte {@code 2}
 * followed by a zstd frame of the JSON; a first byte of {@code '{'} or {@code '['} still means plain
 * JSON. The {@code config} is never compressed.
 *
 * <h2>Packs</h2>
 * {@code blob1 || ... || blobN || encrypted header || header length (uint32 LE)}. Each blob is
 * encrypted on its own; header entries are {@code type(1) || encrypted length(4 LE) ||
 * [plaintext length(4 LE), compressed types only] || plaintext SHA-256(32)} with types 0 data, 1
 * tree, 2 compressed data, 3 compressed tree. Data and tree blobs never share a pack. Holdfast
 * compresses a blob with zstd only when that makes it smaller. Packs are closed at the configured
 * target size (16 MiB by default).
 *
 * <h2>Trees and snapshots</h2>
 * A tree blob is the JSON {@code {"nodes":[...]}} followed by a newline, nodes sorted by the UTF-8
 * bytes of their names; node fields and Go {@code os.FileMode} bits as restic
 * ({@link io.holdfast.internal.repo.Node}, {@link io.holdfast.internal.repo.GoMode}); times in Go's
 * RFC 3339 with nanoseconds. A file's {@code content} lists its data blob ids in order; an empty
 * file's list is empty. A Holdfast snapshot's root tree holds one directory per source.
 *
 * <h2>Write order (what makes a crash harmless)</h2>
 * <ol>
 *   <li>packs, each put atomically; a pack is added to the in-memory index only once stored;
 *   <li>index files for those packs, after every pack upload has finished;
 *   <li>the snapshot file, last.
 * </ol>
 * A crash before step 3 leaves at most packs that no index lists, or indexed blobs that no snapshot
 * references: {@code restic check} accepts both, and no new snapshot is listed. Readers go the other
 * way: snapshots first, then the index, then packs. Removal (prune) takes the exclusive lock and
 * removes a pack from the index before deleting it: new packs, then new index files (the last one
 * superseding the old files), then the old index files, then the packs ({@link
 * io.holdfast.internal.prune}).
 *
 * <h2>Locks</h2>
 * Shared for backup and restore, exclusive for removal. A lock file is rewritten (new file, then the
 * old one deleted) every 5 minutes while held, and is stale after 30 minutes without refresh or when
 * its process, on this host, is gone. After writing its lock a client checks again for conflicting
 * locks and backs out if it finds one; a lock file that vanishes while being read (a refresh) makes
 * it list the locks again. Once its lock is held a client reloads the index if its files changed
 * since the repository was opened (a prune ran in between), and a backup checks that its lock is
 * still in place and fresh before it writes its snapshot.
 *
 * <h2>Chunking</h2>
 * Rabin fingerprints over a 64-byte window with the config's polynomial, chunks of 512 KiB to 8 MiB,
 * cut where the low 20 bits of the fingerprint are zero: identical to restic, so both deduplicate
 * against each other.
 */
package io.holdfast.internal.repo;
