package io.holdfast.internal.restorer;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.PackedBlob;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackRangeTest {
  private static final Id PACK = Id.hash(new byte[] {1});

  private static NeededBlob blob(int n, long offset, int length) {
    return new NeededBlob(new PackedBlob(BlobType.DATA, Id.hash(new byte[] {(byte) n, 2}), PACK, offset, length, 0));
  }

  private static List<List<Long>> spans(List<PackRange> ranges) {
    return ranges.stream().map(r -> List.of(r.offset(), (long) r.length(), (long) r.blobs().size())).toList();
  }

  @Test
  void neighboursWithSmallGapsShareOneRead() {
    List<PackRange> r = PackRange.cover(PACK, List.of(blob(2, 300, 100), blob(1, 0, 100), blob(3, 450, 50)), 200, 1 << 20);
    assertThat(spans(r)).containsExactly(List.of(0L, 500L, 3L));
    assertThat(r.get(0).blobs()).extracting(b -> b.where().offset()).containsExactly(0L, 300L, 450L);
  }

  @Test
  void aGapAboveTheLimitStartsANewRead() {
    List<PackRange> r = PackRange.cover(PACK, List.of(blob(1, 0, 100), blob(2, 201, 100)), 100, 1 << 20);
    assertThat(spans(r)).containsExactly(List.of(0L, 100L, 1L), List.of(201L, 100L, 1L));
  }

  @Test
  void aReadNeverGrowsBeyondTheCapButABigBlobIsReadAlone() {
    List<PackRange> r = PackRange.cover(PACK,
        List.of(blob(1, 0, 400), blob(2, 400, 400), blob(3, 800, 400), blob(4, 1200, 5000), blob(5, 6200, 10)),
        100, 1000);
    assertThat(spans(r)).containsExactly(List.of(0L, 800L, 2L), List.of(800L, 400L, 1L),
        List.of(1200L, 5000L, 1L), List.of(6200L, 10L, 1L));
  }
}
