package io.holdfast.internal.checker;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.VerifyPlan.DataCheck;
import io.holdfast.internal.repo.Id;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

class PackSelectionTest {
  private static List<Id> packs(int n) {
    Random r = new Random(42);
    List<Id> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[32];
      r.nextBytes(b);
      out.add(Id.of(b));
    }
    return out;
  }

  @Test
  void groupsOneToMCoverEveryPackExactlyOnce() {
    List<Id> all = packs(1000);
    for (int m : new int[] {1, 2, 3, 7, 16, 255, 256}) {
      Set<Id> seen = new HashSet<>();
      int total = 0;
      for (int n = 1; n <= m; n++) {
        SortedSet<Id> group = PackSelection.select(all, DataCheck.group(n, m), new Random());
        total += group.size();
        seen.addAll(group);
      }
      assertThat(total).as("m=%d", m).isEqualTo(all.size());
      assertThat(seen).as("m=%d", m).hasSameElementsAs(all);
    }
  }

  @Test
  void aGroupIsChosenByTheFirstByteOfThePackIdAsResticDoes() {
    Id pack = Id.parse("0a" + "00".repeat(31)); // first byte 10: 10 mod 4 = 2, so group 3 of 4
    assertThat(PackSelection.select(List.of(pack), DataCheck.group(3, 4), new Random())).containsExactly(pack);
    assertThat(PackSelection.select(List.of(pack), DataCheck.group(2, 4), new Random())).isEmpty();
  }

  @Test
  void aPercentageReadsThatFractionOfThePacks() {
    List<Id> all = packs(1000);
    assertThat(PackSelection.select(all, DataCheck.percent(10), new Random())).hasSize(100);
    assertThat(PackSelection.select(all, DataCheck.percent(2.5), new Random())).hasSize(25);
    assertThat(PackSelection.select(packs(3), DataCheck.percent(1), new Random())).hasSize(1); // at least one
    assertThat(PackSelection.select(List.of(), DataCheck.percent(50), new Random())).isEmpty();
  }

  @Test
  void aSeedRepeatsThePercentageChoiceAndAnotherSeedChoosesOthers() {
    List<Id> all = packs(1000);
    SortedSet<Id> a = PackSelection.select(all, DataCheck.percent(10), new Random(5));
    assertThat(PackSelection.select(all, DataCheck.percent(10), new Random(5))).isEqualTo(a);
    assertThat(PackSelection.select(all, DataCheck.percent(10), new Random(6))).isNotEqualTo(a);
  }

  @Test
  void noneReadsNothingAndAllReadsEverything() {
    List<Id> all = packs(50);
    assertThat(PackSelection.select(all, DataCheck.none(), new Random())).isEmpty();
    assertThat(PackSelection.select(all, DataCheck.all(), new Random())).hasSameElementsAs(all);
  }
}
