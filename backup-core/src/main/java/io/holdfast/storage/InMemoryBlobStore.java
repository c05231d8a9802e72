package io.holdfast.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link BlobStore} that keeps every object in the heap, for tests and for short-lived
 * repositories. Nothing survives the process ({@link BlobStoreCapabilities#durable()} is false).
 *
 * <p>Safe for use by many threads: each put is atomic and write-once, and of several concurrent
 * puts of one key exactly one succeeds. The store copies arrays on the way in and on the way out,
 * so neither the caller's later changes to a put array nor changes to a returned array reach the
 * stored object. {@link #close()} does nothing; the objects stay readable until the store is
 * garbage.
 */
public final class InMemoryBlobStore implements BlobStore {

  private final ConcurrentMap<String, byte[]> objects = new ConcurrentHashMap<>();

  /** An empty store. */
  public InMemoryBlobStore() {}

  @Override
  public void put(String key, byte[] data) throws IOException {
    BlobKeys.requireValidKey(key);
    byte[] copy = data.clone();
    if (objects.putIfAbsent(key, copy) != null) {
      throw new FileAlreadyExistsException(key);
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    return object(key).clone();
  }

  @Override
  public byte[] get(String key, long offset, int length) throws IOException {
    ByteRange range = new ByteRange(offset, length);
    byte[] data = object(key);
    range.requireWithin(key, data.length);
    // requireWithin guarantees offset <= data.length, so the cast is safe.
    return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
  }

  @Override
  public BlobInfo stat(String key) throws IOException {
    return new BlobInfo(key, object(key).length);
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    BlobKeys.requireValidPrefix(prefix);
    List<BlobInfo> found = new ArrayList<>();
    objects.forEach(
        (key, data) -> {
          if (key.startsWith(prefix)) {
            found.add(new BlobInfo(key, data.length));
          }
        });
    return found;
  }

  @Override
  public void delete(String key) throws IOException {
    BlobKeys.requireValidKey(key);
    if (objects.remove(key) == null) {
      throw new NoSuchFileException(key);
    }
  }

  @Override
  public BlobStoreCapabilities capabilities() {
    return new BlobStoreCapabilities(Runtime.getRuntime().availableProcessors(), false);
  }

  @Override
  public String toString() {
    return "InMemoryBlobStore[" + objects.size() + " objects]";
  }

  /** The stored array itself: callers must not let it escape uncopied. */
  private byte[] object(String key) throws NoSuchFileException {
    byte[] data = objects.get(BlobKeys.requireValidKey(key));
    if (data == null) {
      throw new NoSuchFileException(key);
    }
    return data;
  }
}
