package io.holdfast.internal.restorer;

import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.PackedBlob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded window of regular files restored together: the data blobs they need, grouped by pack,
 * so that each pack's needed blobs are read in a few ranged reads ({@link PackRange}) instead of
 * one read per blob. Bounded in files and blob uses so that planning memory stays flat. Not
 * thread-safe: filled by the tree walk, then handed over whole.
 */
final class FileBatch {
  private final int maxFiles;
  private final int maxUses;
  private final List<FileSink> files = new ArrayList<>();
  private final Map<Id, Map<Id, NeededBlob>> byPack = new LinkedHashMap<>();
  private int uses;

  FileBatch(int maxFiles, int maxUses) {
    this.maxFiles = maxFiles;
    this.maxUses = maxUses;
  }

  /** Adds a file whose content is {@code content}, in file order. */
  void add(FileSink file, List<PackedBlob> content) {
    long offset = 0;
    for (PackedBlob b : content) {
      byPack.computeIfAbsent(b.pack(), k -> new LinkedHashMap<>())
          .computeIfAbsent(b.id(), k -> new NeededBlob(b)).use(file, offset);
      offset += b.plaintextLength();
    }
    uses += content.size();
    files.add(file);
  }

  boolean isEmpty() {
    return files.isEmpty();
  }

  boolean full() {
    return files.size() >= maxFiles || uses >= maxUses;
  }

  List<FileSink> files() {
    return files;
  }

  /** The reads that fetch every needed blob, pack by pack in the order packs were first needed. */
  List<PackRange> reads(long maxGap, int maxRead) {
    List<PackRange> out = new ArrayList<>();
    byPack.forEach((pack, blobs) -> out.addAll(PackRange.cover(pack, blobs.values(), maxGap, maxRead)));
    return out;
  }
}
