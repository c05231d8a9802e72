package io.holdfast.internal.prune;

import io.holdfast.internal.repo.FileType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.IndexFile;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every index file and, from those no other file supersedes, every pack with all the blobs listed
 * in it (a blob stored twice appears in both packs, unlike in the repository's lookup index).
 *
 * @param files every index file in the repository, superseded ones included: all are replaced
 * @param superseded how many of them another file supersedes: restic reads those too, so they
 *     must be gone before any pack they name is deleted
 * @param packs each indexed pack's blobs, in offset order
 */
record IndexedPacks(List<Id> files, int superseded, Map<Id, List<PackedBlob>> packs) {

  static IndexedPacks read(Repository repo) {
    List<Id> files = repo.list(FileType.INDEX);
    Map<Id, Set<PackedBlob>> packs = new TreeMap<>();
    Map<Id, IndexFile> live = repo.liveIndexFiles(files);
    live.forEach((id, file) -> {
      if (file.packs() == null) {
        return;
      }
      String name = "index/" + id.shortHex();
      for (IndexFile.Pack p : file.packs()) {
        Id pack = Id.parse(p.id());
        Set<PackedBlob> blobs = packs.computeIfAbsent(pack, k -> new LinkedHashSet<>());
        if (p.blobs() != null) {
          p.blobs().forEach(b -> blobs.add(b.in(pack, name)));
        }
      }
    });
    Map<Id, List<PackedBlob>> out = new TreeMap<>();
    packs.forEach((id, blobs) -> {
      List<PackedBlob> sorted = new ArrayList<>(blobs);
      sorted.sort(java.util.Comparator.comparingLong(PackedBlob::offset));
      out.put(id, List.copyOf(sorted));
    });
    return new IndexedPacks(List.copyOf(files), files.size() - live.size(), out);
  }
}
