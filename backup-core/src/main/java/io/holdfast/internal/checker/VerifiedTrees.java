package io.holdfast.internal.checker;

import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.PackedBlob;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tree blobs the data check has already read and verified, held for the structure walk so that it
 * does not fetch them from the store a second time. Holds at most {@code budget} plaintext bytes:
 * a tree offered beyond that is not kept, and the walk loads it from the store as before, so
 * memory stays bounded however many trees the repository has. Each tree is handed out once (the
 * walk visits a tree once). A copy that was read but did not verify is remembered too (that is
 * rare), so that the walk reports it even when it uses a sound copy from another pack. Thread-safe:
 * the data check's readers offer concurrently.
 */
final class VerifiedTrees {
  private final long budget;
  private final Map<Id, byte[]> trees = new HashMap<>();
  private final Map<Id, Map<PackedBlob, String>> bad = new HashMap<>();
  private long held;
  private long dropped;

  VerifiedTrees(long budget) {
    this.budget = budget;
  }

  /** Keeps {@code plain}, the verified plaintext of tree {@code id}, if the budget allows. */
  synchronized void offer(Id id, byte[] plain) {
    if (trees.containsKey(id)) {
      return;
    }
    if (held + plain.length > budget) {
      dropped++;
      return;
    }
    trees.put(id, plain);
    held += plain.length;
  }

  /** Remembers that the copy of a tree at {@code place} did not verify, and why. */
  synchronized void bad(PackedBlob place, String why) {
    bad.computeIfAbsent(place.id(), k -> new LinkedHashMap<>()).put(place, why);
  }

  /** The copies of tree {@code id} that did not verify, each with why, which are then forgotten. */
  synchronized Map<PackedBlob, String> badCopies(Id id) {
    Map<PackedBlob, String> copies = bad.remove(id);
    return copies == null ? Map.of() : copies;
  }

  /** True if a tree of {@code bytes} plaintext bytes would be kept now: a caller may skip decoding one that would not. */
  synchronized boolean hasRoom(long bytes) {
    return held + bytes <= budget;
  }

  /** The verified plaintext of tree {@code id}, which is then forgotten; null if not held. */
  synchronized byte[] take(Id id) {
    byte[] plain = trees.remove(id);
    if (plain != null) {
      held -= plain.length;
    }
    return plain;
  }

  /** Trees offered but not kept, for lack of budget. */
  synchronized long dropped() {
    return dropped;
  }
}
