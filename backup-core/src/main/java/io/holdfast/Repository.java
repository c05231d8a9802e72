package io.holdfast;

import io.holdfast.storage.BlobStore;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where backups live: a restic-format repository on a {@link BlobStore}, and how to get its
 * password. Immutable; the password is asked for each time the repository is opened and never
 * kept, logged or printed.
 */
public final class Repository {
  private final BlobStore store;
  private final Supplier<char[]> password;
  private final boolean createIfMissing;

  private Repository(BlobStore store, Supplier<char[]> password, boolean createIfMissing) {
    this.store = Objects.requireNonNull(store, "store");
    this.password = Objects.requireNonNull(password, "password");
    this.createIfMissing = createIfMissing;
  }

  /** The repository on {@code store}, opened with the password {@code password} supplies. */
  public static Repository on(BlobStore store, Supplier<char[]> password) {
    return new Repository(store, password, false);
  }

  /** The same repository, initialised (version 2) by the first backup if the store holds none. */
  public Repository createIfMissing() {
    return new Repository(store, password, true);
  }

  public BlobStore store() {
    return store;
  }

  /** A fresh copy of the password; the caller clears it after use. */
  char[] password() {
    char[] pw = password.get();
    if (pw == null) {
      throw new IllegalStateException("the password supplier returned null");
    }
    return pw.clone();
  }

  boolean creates() {
    return createIfMissing;
  }

  @Override
  public String toString() {
    return "Repository[" + store + "]";
  }
}
