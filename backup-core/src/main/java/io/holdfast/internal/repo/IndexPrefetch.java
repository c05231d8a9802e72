package io.holdfast.internal.repo;

import com.github.luben.zstd.ZstdDecompressCtx;
import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.BlobStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the index files, as they are stored, on a thread of its own while {@link Repository#open}
 * derives the key, and readies what loading them and the rest of a run needs: the JSON readers of
 * the repository's files and the zstd library. Key derivation (scrypt) keeps one core busy; on a
 * fresh JVM that preparation takes about as long, so the two overlap instead of adding up.
 *
 * <p>Nothing read here is trusted: the caller checks each file's name against its hash and its MAC
 * as it would a file it read itself. Holds at most {@link #MAX_BYTES} of stored files; the others
 * are read when loaded. A prefetch that fails leaves the caller to list and read on its own.
 */
final class IndexPrefetch {
  private static final Logger LOG = LoggerFactory.getLogger(IndexPrefetch.class);
  static final long MAX_BYTES = 64L << 20;

  /** The index files listed, and the stored bytes of those read ahead. */
  record Fetched(List<Id> listed, Map<Id, byte[]> stored) {}

  private final CompletableFuture<Fetched> result = new CompletableFuture<>();
  private volatile boolean cancelled;

  private IndexPrefetch() {}

  /** Starts reading {@code store}'s index files on a new daemon thread. */
  static IndexPrefetch start(BlobStore store) {
    IndexPrefetch p = new IndexPrefetch();
    Thread t = new Thread(() -> p.run(store), "holdfast-open");
    t.setDaemon(true);
    t.start();
    return p;
  }

  private void run(BlobStore store) {
    Fetched fetched = null;
    try {
      try {
        fetched = read(store);
      } catch (Exception | LinkageError e) {
        // a vanished or unreadable file: the caller reads (and reports) on its own
        LOG.debug("index prefetch failed, reading the index without it: {}", e.toString());
      }
      if (!cancelled) {
        prepare();
      }
    } finally {
      result.complete(fetched);
    }
  }

  private Fetched read(BlobStore store) throws java.io.IOException {
    List<Id> listed = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (BlobInfo info : store.list(FileType.INDEX.prefix())) {
      Id id = FileType.INDEX.idOf(info.key());
      if (id != null) {
        listed.add(id);
        keys.add(info.key());
      }
    }
    Map<Id, byte[]> stored = new HashMap<>();
    long bytes = 0;
    for (int i = 0; i < listed.size() && bytes < MAX_BYTES && !cancelled; i++) {
      byte[] b = store.get(keys.get(i));
      stored.put(listed.get(i), b);
      bytes += b.length;
    }
    return new Fetched(List.copyOf(listed), stored);
  }

  /**
   * Builds the data-binding readers of the files read that way (snapshots, locks) and loads zstd's
   * native library, once per JVM. Trees and index files are read by {@link JsonStream}, which needs
   * no reader built.
   */
  private static void prepare() {
    try {
      for (Class<?> type : List.of(SnapshotFile.class, LockFile.class)) {
        Json.mapper().readerFor(type);
      }
      new ZstdDecompressCtx().close();
    } catch (RuntimeException | LinkageError e) {
      // only a head start: the same work happens, and fails if it must, where it is needed
      LOG.debug("preparing JSON readers and zstd failed: {}", e.toString());
    }
  }

  /** Waits for the read-ahead; null if it failed. */
  Fetched await() {
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      return null;
    }
  }

  /** Stops reading ahead (the open failed). */
  void cancel() {
    cancelled = true;
  }
}
