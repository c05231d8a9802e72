package io.holdfast.internal.repo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes new packs of one blob type from blobs copied out of other packs, for prune's repack. Each
 * blob is encrypted on its own (its own IV and MAC), so its stored bytes move to a new pack
 * unchanged: only the new pack's header is encrypted afresh. The caller checks a blob (with {@link
 * Repository#decodeBlob}) before it hands it over.
 *
 * <p>Packs are put synchronously and closed at the repository's pack size; {@link #finish()} puts
 * the last one. Nothing is indexed here: the caller writes index files for {@link #written()} once
 * finished. Not thread-safe.
 */
public final class PackCopier {
  private final Repository repo;
  private final BlobType type;
  private final List<IndexFile.Pack> written = new ArrayList<>();
  private PackWriter writer;
  private long bytes;

  public PackCopier(Repository repo, BlobType type) {
    this.repo = repo;
    this.type = type;
  }

  /** Appends {@code blob}'s stored bytes, {@code stored[off, off + blob.length())}. */
  public void add(PackedBlob blob, byte[] stored, int off) {
    if (blob.type() != type) {
      throw new IllegalArgumentException("a " + type.json() + " pack cannot hold " + blob.type().json() + " blob "
          + blob.id().shortHex());
    }
    if (writer == null) {
      writer = new PackWriter(type, Math.min(repo.options().packSize(), 4 << 20));
    }
    writer.addEncrypted(blob.id(), stored, off, blob.length(), blob.uncompressedLength());
    if (writer.size() >= repo.options().packSize()) {
      put();
    }
  }

  /** Puts the open pack, if any. */
  public void finish() {
    if (writer != null && writer.count() > 0) {
      put();
    }
    writer = null;
  }

  /** The packs written so far, as index entries. */
  public List<IndexFile.Pack> written() {
    return List.copyOf(written);
  }

  /** Bytes of the packs written so far. */
  public long bytes() {
    return bytes;
  }

  private void put() {
    PackWriter w = writer;
    writer = null;
    w.finish(repo.masterKey());
    Id packId = Id.hash(w.buffer(), 0, w.size());
    String key = FileType.PACK.key(packId);
    try {
      repo.store().put(key, w.buffer(), 0, w.size());
    } catch (IOException e) {
      throw Repository.storage("write " + key, e);
    }
    List<IndexFile.Blob> blobs = new ArrayList<>(w.count());
    for (PackWriter.Entry e : w.entries()) {
      blobs.add(IndexFile.Blob.of(e.in(type, packId)));
    }
    written.add(new IndexFile.Pack(packId.hex(), blobs));
    bytes += w.size();
  }
}
