package io.holdfast.testkit;

import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.BlobStore;
import io.holdfast.storage.BlobStoreCapabilities;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A {@link BlobStore} wrapper for crash and failure tests: it counts every call and can be armed
 * to make chosen puts throw an {@link IOException} (message starting {@code "injected fault"})
 * before they reach the delegate, so a failed put writes nothing at all.
 *
 * <p>Safe for use by many threads. Arming while puts are running is allowed, but which put is
 * "the Nth" is then decided by the race; arm between steps for deterministic tests. Counts include
 * calls that failed, injected or not. The wrapper owns its delegate: {@link #close()} closes it.
 */
public final class FaultyBlobStore implements BlobStore {

  /** The kinds of call that are counted; a ranged get counts as a {@link #GET}. */
  public enum Operation {
    PUT,
    GET,
    STAT,
    LIST,
    DELETE
  }

  private final BlobStore delegate;
  private final AtomicLongArray counts = new AtomicLongArray(Operation.values().length);

  /** The running number (counting every put since creation) of the put to fail; 0 for none. */
  private volatile long failingPut;

  /** Every put whose key starts with this fails; null for none. */
  private volatile String failingPrefix;

  /** Wraps {@code delegate}, unarmed. */
  public FaultyBlobStore(BlobStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Makes the {@code n}th put from now fail once ({@code 1} is the next put), replacing any earlier
   * such arming.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public void failNthPut(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    failingPut = count(Operation.PUT) + n;
  }

  /**
   * Makes every put whose key starts with {@code prefix} fail until {@link #disarm()}, replacing
   * any earlier prefix.
   */
  public void failPutsStartingWith(String prefix) {
    failingPrefix = Objects.requireNonNull(prefix, "prefix");
  }

  /** Lets every call through again. */
  public void disarm() {
    failingPut = 0;
    failingPrefix = null;
  }

  /** How many calls of this kind have been made since the wrapper was created. */
  public long count(Operation operation) {
    return counts.get(operation.ordinal());
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    long number = counts.incrementAndGet(Operation.PUT.ordinal());
    String prefix = failingPrefix;
    if (number == failingPut || (prefix != null && key != null && key.startsWith(prefix))) {
      throw new IOException("injected fault: put #" + number + " of " + key);
    }
    delegate.put(key, data);
  }

  @Override
  public byte[] get(String key) throws IOException {
    counts.incrementAndGet(Operation.GET.ordinal());
    return delegate.get(key);
  }

  @Override
  public byte[] get(String key, long offset, int length) throws IOException {
    counts.incrementAndGet(Operation.GET.ordinal());
    return delegate.get(key, offset, length);
  }

  @Override
  public BlobInfo stat(String key) throws IOException {
    counts.incrementAndGet(Operation.STAT.ordinal());
    return delegate.stat(key);
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    counts.incrementAndGet(Operation.LIST.ordinal());
    return delegate.list(prefix);
  }

  @Override
  public void delete(String key) throws IOException {
    counts.incrementAndGet(Operation.DELETE.ordinal());
    delegate.delete(key);
  }

  @Override
  public BlobStoreCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return "FaultyBlobStore[" + delegate + "]";
  }
}
