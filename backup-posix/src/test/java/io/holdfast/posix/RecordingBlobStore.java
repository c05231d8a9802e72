package io.holdfast.posix;

import io.holdfast.storage.BlobStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the key of every read (whole or ranged) and the prefix of every list a store serves. */
final class RecordingBlobStore {
  final List<String> gets = new CopyOnWriteArrayList<>();
  final List<String> lists = new CopyOnWriteArrayList<>();
  final BlobStore store;

  RecordingBlobStore(BlobStore delegate) {
    this.store = (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(),
        new Class<?>[] {BlobStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("get")) {
            gets.add((String) args[0]);
          } else if (method.getName().equals("list")) {
            lists.add((String) args[0]);
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  void forget() {
    gets.clear();
    lists.clear();
  }
}
