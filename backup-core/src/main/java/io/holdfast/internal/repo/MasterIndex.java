package io.holdfast.internal.repo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every blob the repository knows, from all index files plus packs written since. Also tracks
 * blobs reserved by a writer but not yet in an uploaded pack, so that two threads never store the
 * same blob twice. A blob the index files list in more than one place is looked up at the first
 * place loaded; the others are kept as its copies. Thread-safe.
 */
final class MasterIndex {
  private final Map<Id, PackedBlob> data = new ConcurrentHashMap<>();
  private final Map<Id, PackedBlob> trees = new ConcurrentHashMap<>();
  private final Set<Id> pendingData = ConcurrentHashMap.newKeySet();
  private final Set<Id> pendingTrees = ConcurrentHashMap.newKeySet();
  private final Set<Id> indexFiles = ConcurrentHashMap.newKeySet();
  /** The places of blobs stored twice (concurrent backups), beyond the one {@link #get} returns. */
  private final Set<PackedBlob> copies = ConcurrentHashMap.newKeySet();

  private Map<Id, PackedBlob> map(BlobType type) {
    return type == BlobType.DATA ? data : trees;
  }

  private Set<Id> pending(BlobType type) {
    return type == BlobType.DATA ? pendingData : pendingTrees;
  }

  PackedBlob get(BlobType type, Id id) {
    return map(type).get(id);
  }

  boolean has(BlobType type, Id id) {
    return map(type).containsKey(id) || pending(type).contains(id);
  }

  /** Claims {@code id} for storing; false if it is stored already or another writer claimed it. */
  boolean reserve(BlobType type, Id id) {
    return !map(type).containsKey(id) && pending(type).add(id);
  }

  /** Gives up a claim made by {@link #reserve} (the write failed). */
  void release(BlobType type, Id id) {
    pending(type).remove(id);
  }

  void add(PackedBlob blob) {
    map(blob.type()).putIfAbsent(blob.id(), blob);
    pending(blob.type()).remove(blob.id());
  }

  void load(Id file, IndexFile index) {
    String name = "index/" + file.shortHex();
    if (index.packs() != null) {
      for (IndexFile.Pack pack : index.packs()) {
        Id packId = Id.parse(pack.id());
        if (pack.blobs() == null) {
          continue;
        }
        for (IndexFile.Blob b : pack.blobs()) {
          PackedBlob where = b.in(packId, name);
          PackedBlob first = map(where.type()).putIfAbsent(where.id(), where);
          if (first != null && !first.equals(where)) {
            copies.add(where);
          }
        }
      }
    }
    indexFiles.add(file);
  }

  /** Forgets every loaded blob and index file (before a reload); claims in progress stay. */
  void clear() {
    data.clear();
    trees.clear();
    copies.clear();
    indexFiles.clear();
  }

  Set<Id> indexFiles() {
    return Set.copyOf(indexFiles);
  }

  int size(BlobType type) {
    return map(type).size();
  }

  /** Every indexed blob of both types. */
  List<PackedBlob> all() {
    List<PackedBlob> out = new ArrayList<>(data.size() + trees.size());
    out.addAll(data.values());
    out.addAll(trees.values());
    return out;
  }

  /** Every place of a blob beyond the one {@link #get} returns. */
  Set<PackedBlob> copies() {
    return Set.copyOf(copies);
  }

  /** The places of blob {@code id} beyond the one {@link #get} returns (a scan: copies are rare). */
  List<PackedBlob> copiesOf(BlobType type, Id id) {
    return copies.stream().filter(c -> c.type() == type && c.id().equals(id)).toList();
  }

  Collection<PackedBlob> blobs(BlobType type) {
    return map(type).values();
  }
}
