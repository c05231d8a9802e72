package io.holdfast.internal.checker;

import io.holdfast.VerifyPlan.DataCheck;
import io.holdfast.internal.repo.Id;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;

/** Chooses the packs a data check reads, as a {@link DataCheck} describes them. */
public final class PackSelection {
  private PackSelection() {}

  /**
   * The packs of {@code packs} that {@code check} selects: none, all, those whose id's first byte
   * modulo {@code m} is {@code n - 1}, or a random {@code P%} of them (rounded, at least one).
   *
   * @param random draws the percentage; unused otherwise
   */
  public static SortedSet<Id> select(Collection<Id> packs, DataCheck check, Random random) {
    SortedSet<Id> out = new TreeSet<>();
    if (!check.readsData()) {
      return out;
    }
    if (check.groups() > 0) {
      for (Id p : packs) {
        if (groupOf(p, check.groups()) == check.group()) {
          out.add(p);
        }
      }
      return out;
    }
    if (check.percent() >= 100) {
      out.addAll(packs);
      return out;
    }
    List<Id> shuffled = new ArrayList<>(new TreeSet<>(packs)); // a fixed order, so a seed repeats its choice
    Collections.shuffle(shuffled, random);
    long n = Math.max(shuffled.isEmpty() ? 0 : 1, Math.round(shuffled.size() * check.percent() / 100));
    out.addAll(shuffled.subList(0, (int) n));
    return out;
  }

  /** The 1-based group of {@code pack} among {@code groups}: by the first byte of its id, as restic. */
  static int groupOf(Id pack, int groups) {
    return ((pack.bytes()[0] & 0xff) % groups) + 1;
  }
}
