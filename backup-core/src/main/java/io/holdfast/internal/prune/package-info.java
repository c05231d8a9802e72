/**
 * Prune: removes the blobs no snapshot needs, under the repository's exclusive lock.
 *
 * <h2>What goes</h2>
 * Every tree and data blob reachable from a snapshot is used; where one is stored twice, the copy
 * in the pack with the larger share of used bytes is kept. Then, per pack:
 * <ul>
 *   <li>no used blob: the pack is deleted;
 *   <li>every blob used: the pack stays;
 *   <li>partly used: a repack candidate. Candidates are repacked, most wasteful first, until the
 *       unused bytes left in kept packs are at most {@code maxUnused} percent of the repository's
 *       blob bytes after the prune (restic's {@code --max-unused} rule; default 5 %). Repacking
 *       copies the used blobs' stored bytes, checked first (MAC, decompression, SHA-256), into new
 *       packs: each blob is encrypted on its own, so it needs no re-encryption.
 *   <li>named by the index but not stored, with no used blob: dropped from the index.
 * </ul>
 * Packs that no index names are deleted too: under the exclusive lock no backup is running, so
 * they were left by an interrupted one. A used blob with no stored copy, or a tree that cannot be
 * read, stops the prune before anything is written.
 *
 * <h2>Order (design.rst, "Read and Write Ordering")</h2>
 * <ol>
 *   <li>the new packs, each put atomically and durably;
 *   <li>the new index files, listing every kept pack and every new pack; the last one written
 *       supersedes all old index files;
 *   <li>the old index files are deleted;
 *   <li>the unused, repacked and unindexed packs are deleted.
 * </ol>
 * A crash at any point leaves a sound repository: before step 3 every pack any index names still
 * exists; after it, at worst packs no index names remain, which the next prune removes. restic
 * 0.14 reads superseded index files as well, so a superseded file left by an interrupted prune is
 * always removed (step 3) before the packs it names (step 4).
 *
 * <h2>Concurrency</h2>
 * Backups and restores hold shared locks; prune holds the exclusive one for its whole run, so no
 * backup can start while it runs and it cannot start while one runs. Every lock holder reloads the
 * index once its lock is held, so an index read before a prune finished is never used.
 */
package io.holdfast.internal.prune;
