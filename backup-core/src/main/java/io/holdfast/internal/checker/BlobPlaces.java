package io.holdfast.internal.checker;

import io.holdfast.HoldfastException;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.PackedBlob;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.Tree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every place the index puts a blob, for the blobs it lists more than once (two backups that ran
 * at once each stored them): a blob is lost only when none of its places holds a sound copy, and a
 * tree whose first place does not verify is loaded from the next. Memory: the places of such blobs
 * only. Immutable once built; safe to read from several threads.
 */
final class BlobPlaces {
  private record Key(BlobType type, Id id) {}

  private final Repository repo;
  /** Each blob listed more than once: every place, the one {@link Repository#lookup} gives first. */
  private final Map<Key, List<PackedBlob>> copied;

  private BlobPlaces(Repository repo, Map<Key, List<PackedBlob>> copied) {
    this.repo = Objects.requireNonNull(repo, "repo");
    this.copied = copied;
  }

  /**
   * The places of the blobs the index lists more than once, from the index's own record of them
   * ({@link Repository#indexedCopies}) rather than a lookup of every indexed blob; after the first
   * place, the others in pack and offset order.
   */
  static BlobPlaces of(Repository repo) {
    List<PackedBlob> copies = new ArrayList<>(repo.indexedCopies());
    copies.sort(Comparator.comparing(PackedBlob::pack).thenComparingLong(PackedBlob::offset));
    Map<Key, List<PackedBlob>> copied = new HashMap<>();
    for (PackedBlob b : copies) {
      PackedBlob first = repo.lookup(b.type(), b.id());
      if (first != null && !first.equals(b)) {
        copied.computeIfAbsent(new Key(b.type(), b.id()), k -> new ArrayList<>(List.of(first))).add(b);
      }
    }
    return new BlobPlaces(repo, copied);
  }

  /** Every place of the blob, the lookup's first; empty when no index lists it. */
  List<PackedBlob> places(BlobType type, Id id) {
    List<PackedBlob> places = copied.get(new Key(type, id));
    if (places != null) {
      return places;
    }
    PackedBlob only = repo.lookup(type, id);
    return only == null ? List.of() : List.of(only);
  }

  /**
   * Loads tree {@code id} from the first of its places that holds a sound copy; each place tried
   * before that one is put in {@code badCopies} with why it failed.
   *
   * @throws HoldfastException the first place's failure if no place holds a sound copy (an
   *     IntegrityException if no index lists the tree)
   */
  Tree loadTree(Id id, Map<PackedBlob, String> badCopies) {
    List<PackedBlob> places = places(BlobType.TREE, id);
    if (places.isEmpty()) {
      return repo.loadTree(id); // throws: in no index
    }
    HoldfastException first = null;
    for (PackedBlob place : places) {
      try {
        return Repository.checkedTree(id, repo.loadBlob(place));
      } catch (HoldfastException e) {
        badCopies.put(place, e.getMessage());
        first = first == null ? e : first;
      }
    }
    throw first;
  }
}
