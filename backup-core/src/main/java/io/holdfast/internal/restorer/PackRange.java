package io.holdfast.internal.restorer;

import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.PackedBlob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * One ranged read of a pack: {@code length} stored bytes from {@code offset}, covering the needed
 * blobs in it (in pack order). Reading neighbouring blobs together turns one request per blob
 * into one per run of blobs; the gap bytes read in between are the price, bounded by the gap limit.
 */
record PackRange(Id pack, long offset, int length, List<NeededBlob> blobs) {

  /**
   * The reads that cover {@code needed} (blobs of one pack): neighbours whose gap is at most
   * {@code maxGap} share a read as long as it stays within {@code maxRead} bytes; a blob larger
   * than {@code maxRead} is read alone.
   */
  static List<PackRange> cover(Id pack, Collection<NeededBlob> needed, long maxGap, int maxRead) {
    List<NeededBlob> sorted = new ArrayList<>(needed);
    sorted.sort(Comparator.comparingLong(n -> n.where().offset()));
    List<PackRange> out = new ArrayList<>();
    List<NeededBlob> run = new ArrayList<>();
    long start = 0;
    long end = 0;
    for (NeededBlob n : sorted) {
      PackedBlob b = n.where();
      long bEnd = b.offset() + b.length();
      if (!run.isEmpty() && (b.offset() - end > maxGap || Math.max(end, bEnd) - start > maxRead)) {
        out.add(new PackRange(pack, start, Math.toIntExact(end - start), List.copyOf(run)));
        run.clear();
      }
      if (run.isEmpty()) {
        start = b.offset();
        end = bEnd;
      }
      end = Math.max(end, bEnd);
      run.add(n);
    }
    if (!run.isEmpty()) {
      out.add(new PackRange(pack, start, Math.toIntExact(end - start), List.copyOf(run)));
    }
    return out;
  }
}
