package io.holdfast.internal.restorer;

import io.holdfast.internal.repo.PackedBlob;
import java.util.ArrayList;
import java.util.List;

/**
 * A data blob a batch of files needs, and every place it goes: a blob shared by several files,
 * or used several times in one, is read and checked once and written to each use.
 */
final class NeededBlob {
  /** One place a blob's plaintext goes: a file and the offset in it. */
  record Use(FileSink file, long offset) {}

  private final PackedBlob where;
  private final List<Use> uses = new ArrayList<>();

  NeededBlob(PackedBlob where) {
    this.where = where;
  }

  PackedBlob where() {
    return where;
  }

  List<Use> uses() {
    return uses;
  }

  void use(FileSink file, long offset) {
    uses.add(new Use(file, offset));
  }
}
