package io.holdfast.posix;

import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.BlobStore;
import io.holdfast.storage.BlobStoreCapabilities;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store wrapper that records the key of every read (whole or ranged) and every list. */
final class RecordingBlobStore implements BlobStore {
  private final BlobStore delegate;
  final List<String> gets = new CopyOnWriteArrayList<>();
  final List<String> lists = new CopyOnWriteArrayList<>();

  RecordingBlobStore(BlobStore delegate) {
    this.delegate = delegate;
  }

  void forget() {
    gets.clear();
    lists.clear();
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    delegate.put(key, data);
  }

  @Override
  public void put(String key, byte[] data, int off, int len) throws IOException {
    delegate.put(key, data, off, len);
  }

  @Override
  public byte[] get(String key) throws IOException {
    gets.add(key);
    return delegate.get(key);
  }

  @Override
  public byte[] get(String key, long offset, int length) throws IOException {
    gets.add(key);
    return delegate.get(key, offset, length);
  }

  @Override
  public BlobInfo stat(String key) throws IOException {
    return delegate.stat(key);
  }

  @Override
  public List<BlobInfo> list(String prefix) throws IOException {
    lists.add(prefix);
    return delegate.list(prefix);
  }

  @Override
  public void delete(String key) throws IOException {
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
}
