package io.holdfast.internal.checker;

import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The index turned around: for each pack it names, the blobs it places there, by offset. */
public final class IndexedPacks {
  private IndexedPacks() {}

  /** Every pack the repository's index names, ordered by id, with its indexed blobs in offset order. */
  public static Map<Id, List<PackedBlob>> of(Repository repo) {
    Map<Id, List<PackedBlob>> byPack = new TreeMap<>();
    for (PackedBlob b : repo.indexedBlobs()) {
      byPack.computeIfAbsent(b.pack(), p -> new ArrayList<>()).add(b);
    }
    byPack.values().forEach(l -> l.sort(Comparator.comparingLong(PackedBlob::offset)));
    return byPack;
  }
}
