package io.holdfast.internal.repo;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import io.holdfast.HoldfastException;
import io.holdfast.IntegrityException;
import io.holdfast.RepositoryFormatException;
import io.holdfast.RepositoryNotFoundException;
import io.holdfast.StorageException;
import io.holdfast.WrongPasswordException;
import io.holdfast.internal.chunker.Polynomial;
import io.holdfast.internal.crypto.KeyFile;
import io.holdfast.internal.crypto.MasterKey;
import io.holdfast.internal.crypto.ScryptParams;
import io.holdfast.internal.json.GoTime;
import io.holdfast.storage.BlobInfo;
import io.holdfast.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open restic-format repository on a {@link BlobStore}: keys, config, index, packs, snapshots.
 *
 * <p>Thread-safety: {@link #saveBlob} and {@link #loadBlob} may be called from many threads at
 * once. {@link #flush} must not run concurrently with {@code saveBlob}: the writer that saved the
 * blobs calls it once its own saves have returned. Closing releases the upload threads; it does not
 * flush.
 *
 * <p>Failure: a failed pack upload is remembered; every later {@code saveBlob} and {@code flush}
 * throws it, so a backup cannot go on to write an index or snapshot that points at a missing pack.
 */
public final class Repository implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Repository.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Blobs per index file; keeps an index file well under restic's 8 MiB guideline. */
  public static final int BLOBS_PER_INDEX = 40_000;
  private static final int UNPACKED_ZSTD_LEVEL = 3;

  private final BlobStore store;
  private final MasterKey key;
  private final Id keyId;
  private final ConfigFile config;
  private final long polynomial;
  private final RepositoryOptions options;
  private final Clock clock;
  private final MasterIndex index = new MasterIndex();
  private volatile java.util.Set<Id> listedIndexFiles = java.util.Set.of();

  private final java.util.concurrent.BlockingQueue<PackWriter> openData = new java.util.concurrent.LinkedBlockingQueue<>();
  // Open data packs are the largest buffers: one per core keeps every core encrypting, no more.
  private final Semaphore dataWriters = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));
  private final Queue<PackWriter> openTrees = new ConcurrentLinkedQueue<>();
  private final ExecutorService uploader;
  private final int maxUploadKib;
  private final ThreadLocal<byte[]> compressBuffers = ThreadLocal.withInitial(() -> new byte[64 << 10]);
  private final Semaphore uploads;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<IndexFile.Pack> unindexed = new ArrayList<>();
  // zstd contexts are costly to create and not thread-safe: one per thread, reused for every blob.
  private final ThreadLocal<ZstdCompressCtx> compressor;
  private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESSOR = ThreadLocal.withInitial(ZstdDecompressCtx::new);

  private Repository(BlobStore store, MasterKey key, Id keyId, ConfigFile config,
      RepositoryOptions options, Clock clock) {
    this.store = store;
    this.key = key;
    this.keyId = keyId;
    this.config = config;
    this.polynomial = Polynomial.fromHex(config.chunkerPolynomial());
    this.options = options;
    this.clock = clock;
    this.compressor = ThreadLocal.withInitial(() -> {
      ZstdCompressCtx ctx = new ZstdCompressCtx();
      ctx.setLevel(Math.max(1, options.compressionLevel()));
      return ctx;
    });
    // at most a few packs' worth of bytes waiting for upload, however many threads upload
    this.maxUploadKib = Math.max(2, Math.min(options.uploadThreads(), 4)) * (options.packSize() / 1024);
    this.uploads = new Semaphore(maxUploadKib);
    AtomicInteger n = new AtomicInteger();
    this.uploader = Executors.newFixedThreadPool(options.uploadThreads(), r -> {
      Thread t = new Thread(r, "holdfast-upload-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  // ---------------------------------------------------------------- init and open

  /** Creates a new version-2 repository on an empty store. */
  public static Repository init(BlobStore store, char[] password, ScryptParams kdf,
      RepositoryOptions options, Clock clock) {
    return init(store, password, kdf, options, clock, 2);
  }

  /** Creates a new repository of {@code version} (1 or 2) on an empty store. */
  public static Repository init(BlobStore store, char[] password, ScryptParams kdf,
      RepositoryOptions options, Clock clock, int version) {
    if (version != 1 && version != 2) {
      throw new IllegalArgumentException("repository version must be 1 or 2, got " + version);
    }
    try {
      if (!store.list(FileType.CONFIG.prefix()).isEmpty() || !store.list(FileType.KEY.prefix()).isEmpty()) {
        throw new RepositoryFormatException("config: a repository already exists here");
      }
    } catch (IOException e) {
      throw storage("list the store before init", e);
    }
    MasterKey key = MasterKey.random(RANDOM);
    byte[] idBytes = new byte[32];
    RANDOM.nextBytes(idBytes);
    ConfigFile config = new ConfigFile(version, HexFormat.of().formatHex(idBytes),
        Polynomial.toHex(Polynomial.randomIrreducible(RANDOM)));
    Host host = Host.current();
    KeyFile keyFile = KeyFile.create(key, password, kdf, host.hostname(), host.username(),
        ZonedDateTime.now(clock), RANDOM);
    byte[] keyJson = keyFile.toJson();
    Id keyId = Id.hash(keyJson);
    try {
      // The key first: a config without a key could never be opened; a key alone is harmless.
      store.put(FileType.KEY.key(keyId), keyJson);
      store.put(FileType.CONFIG.key(null), key.encrypt(Json.write(config)));
    } catch (FileAlreadyExistsException e) {
      throw new RepositoryFormatException("config: a repository already exists here", e);
    } catch (IOException e) {
      throw storage("write the new repository's config and key", e);
    }
    LOG.info("initialised repository {} (version {})", config.id().substring(0, 8), version);
    return new Repository(store, key, keyId, config, options, clock);
  }

  /**
   * Opens an existing repository: finds a key file that opens with {@code password}, then reads and
   * checks the config.
   *
   * @throws RepositoryNotFoundException if the store holds no {@code config}
   * @throws WrongPasswordException if no key file opens with the password; nothing is written
   * @throws RepositoryFormatException if the config is damaged or of an unknown version
   */
  public static Repository open(BlobStore store, char[] password, RepositoryOptions options, Clock clock) {
    byte[] configBytes;
    try {
      configBytes = store.get(FileType.CONFIG.key(null));
    } catch (NoSuchFileException e) {
      throw new RepositoryNotFoundException("no repository here: there is no config file");
    } catch (IOException e) {
      throw storage("read config", e);
    }
    List<BlobInfo> keys;
    try {
      keys = store.list(FileType.KEY.prefix());
    } catch (IOException e) {
      throw storage("list keys/", e);
    }
    // scrypt keeps this thread busy; meanwhile another reads the index and readies what loading it needs
    IndexPrefetch prefetch = IndexPrefetch.start(store);
    try {
      Repository repo = open(store, password, options, clock, configBytes, keys);
      try {
        repo.loadIndex(prefetch.await());
      } catch (RuntimeException e) {
        repo.close();
        throw e;
      }
      return repo;
    } finally {
      prefetch.cancel();
    }
  }

  private static Repository open(BlobStore store, char[] password, RepositoryOptions options, Clock clock,
      byte[] configBytes, List<BlobInfo> keys) {
    MasterKey key = null;
    Id keyId = null;
    for (BlobInfo info : keys) {
      Id id = FileType.KEY.idOf(info.key());
      if (id == null) {
        continue;
      }
      try {
        KeyFile file = KeyFile.parse(store.get(info.key()), info.key());
        key = file.open(password);
        keyId = id;
        break;
      } catch (WrongPasswordException | RepositoryFormatException e) {
        LOG.debug("key {} does not open: {}", id.shortHex(), e.getMessage());
      } catch (IOException e) {
        throw storage("read " + info.key(), e);
      }
    }
    if (key == null) {
      throw new WrongPasswordException("wrong password: none of the " + keys.size()
          + " key files in keys/ opens with the given password");
    }
    byte[] plain;
    try {
      plain = key.decrypt(configBytes);
    } catch (IntegrityException e) {
      throw new RepositoryFormatException("config: damaged (its MAC does not verify)", e);
    }
    ConfigFile config = Json.read(plain, ConfigFile.class, "config");
    if (config.version() != 1 && config.version() != 2) {
      throw new RepositoryFormatException("config: unsupported repository version " + config.version()
          + " (Holdfast reads versions 1 and 2)");
    }
    if (config.chunkerPolynomial() == null || config.id() == null) {
      throw new RepositoryFormatException("config: missing id or chunker_polynomial");
    }
    try {
      Polynomial.fromHex(config.chunkerPolynomial());
    } catch (RuntimeException e) {
      throw new RepositoryFormatException("config: invalid chunker_polynomial '" + config.chunkerPolynomial() + "'", e);
    }
    return new Repository(store, key, keyId, config, options, clock);
  }

  // ---------------------------------------------------------------- accessors

  public BlobStore store() {
    return store;
  }

  public ConfigFile config() {
    return config;
  }

  public int version() {
    return config.version();
  }

  public long chunkerPolynomial() {
    return polynomial;
  }

  public RepositoryOptions options() {
    return options;
  }

  public Clock clock() {
    return clock;
  }

  /** The id of the key file that opened this repository. */
  public Id keyId() {
    return keyId;
  }

  MasterKey masterKey() {
    return key;
  }

  // ---------------------------------------------------------------- unpacked files

  /** Reads, authenticates and decrypts a repository file; checks that its content matches its name. */
  public byte[] loadFile(FileType type, Id id) {
    String k = type.key(id);
    byte[] stored;
    try {
      stored = store.get(k);
    } catch (NoSuchFileException e) {
      throw new IntegrityException(k + ": missing", e);
    } catch (IOException e) {
      throw storage("read " + k, e);
    }
    return decodeFile(k, id, stored);
  }

  /** Checks {@code stored}, the bytes of the file named {@code k}, against its id; decrypts and decodes it. */
  private byte[] decodeFile(String k, Id id, byte[] stored) {
    if (!Id.hash(stored).equals(id)) {
      throw new IntegrityException(k + ": content does not match its name (damaged)");
    }
    byte[] plain;
    try {
      plain = key.decrypt(stored);
    } catch (IntegrityException e) {
      throw new IntegrityException(k + ": MAC does not verify (damaged)", e);
    }
    return decodeUnpacked(plain, k);
  }

  private byte[] decodeUnpacked(byte[] plain, String k) {
    if (plain.length == 0) {
      throw new RepositoryFormatException(k + ": empty");
    }
    int first = plain[0] & 0xff;
    if (first == '{' || first == '[') {
      return plain;
    }
    if (first == 2 && config.version() >= 2) {
      try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(plain, 1, plain.length - 1))) {
        return in.readAllBytes();
      } catch (IOException | ZstdException e) {
        throw new IntegrityException(k + ": cannot decompress: " + e.getMessage(), e);
      }
    }
    throw new RepositoryFormatException(k + ": unknown encoding version " + first);
  }

  /** Encrypts (and in version 2 compresses) a JSON document and stores it under its hash. */
  public Id saveFile(FileType type, byte[] json) {
    byte[] plain = json;
    if (config.version() >= 2) {
      byte[] z = Zstd.compress(json, UNPACKED_ZSTD_LEVEL);
      plain = new byte[z.length + 1];
      plain[0] = 2;
      System.arraycopy(z, 0, plain, 1, z.length);
    }
    byte[] stored = key.encrypt(plain);
    Id id = Id.hash(stored);
    try {
      store.put(type.key(id), stored);
    } catch (IOException e) {
      throw storage("write " + type.key(id), e);
    }
    return id;
  }

  /** Ids of every file of {@code type}; keys that are not ids are skipped. */
  public List<Id> list(FileType type) {
    return new ArrayList<>(sizes(type).keySet());
  }

  /** Every file of {@code type} with its size, in the store's listing order; keys that are not ids are skipped. */
  public java.util.Map<Id, Long> sizes(FileType type) {
    try {
      java.util.Map<Id, Long> sizes = new java.util.LinkedHashMap<>();
      for (BlobInfo info : store.list(type.prefix())) {
        Id id = type.idOf(info.key());
        if (id != null) {
          sizes.put(id, info.size());
        }
      }
      return sizes;
    } catch (IOException e) {
      throw storage("list " + type.prefix(), e);
    }
  }

  // ---------------------------------------------------------------- index

  /**
   * Loads every index file except those another index file supersedes: a superseded index may
   * still name packs that a prune has since removed.
   */
  private void loadIndex(IndexPrefetch.Fetched prefetched) {
    // Opened without a lock, a prune may delete index files between our listing and our reads: a
    // new listing then shows the files that replaced them.
    for (int attempt = 1; ; attempt++) {
      try {
        if (attempt == 1 && prefetched != null) {
          loadIndex(prefetched.listed(), prefetched.stored());
        } else {
          loadIndex(list(FileType.INDEX), java.util.Map.of());
        }
        return;
      } catch (IntegrityException e) {
        if (!isMissing(e) || attempt == 5) {
          throw e;
        }
        LOG.debug("an index file vanished while loading the index: listing again");
        index.clear();
      }
    }
  }

  /** True if {@code e} reports a repository file that is not there (any more). */
  static boolean isMissing(HoldfastException e) {
    return e.getCause() instanceof NoSuchFileException;
  }

  private void loadIndex(List<Id> listed, java.util.Map<Id, byte[]> stored) {
    liveIndexFiles(listed, stored).forEach(index::load);
    listedIndexFiles = java.util.Set.copyOf(listed);
  }

  /**
   * Reads the index files among {@code listed} that no other listed file supersedes: a superseded
   * index may still name packs that a prune has since removed. Files in {@code stored} (read ahead,
   * as stored) are decoded from there instead of read again.
   */
  private java.util.Map<Id, IndexFile> liveIndexFiles(List<Id> listed, java.util.Map<Id, byte[]> stored) {
    java.util.Map<Id, IndexFile> files = new java.util.TreeMap<>();
    java.util.Set<Id> superseded = new java.util.HashSet<>();
    for (Id id : listed) {
      byte[] b = stored.get(id);
      byte[] plain = b == null ? loadFile(FileType.INDEX, id) : decodeFile(FileType.INDEX.key(id), id, b);
      IndexFile file = JsonStream.index(plain, "index/" + id.shortHex());
      files.put(id, file);
      if (file.supersedes() != null) {
        for (String s : file.supersedes()) {
          superseded.add(Id.parse(s));
        }
      }
    }
    files.keySet().removeAll(superseded);
    return files;
  }

  /**
   * Reloads the index if its files changed since it was loaded (a prune replaced them). Called once
   * a lock is held, since an index read before may name packs a prune has since removed. Must not
   * run while blobs are being saved.
   */
  public void refreshIndex() {
    List<Id> listed = list(FileType.INDEX);
    if (java.util.Set.copyOf(listed).equals(listedIndexFiles)) {
      return;
    }
    LOG.debug("index files changed since the repository was opened: reloading the index");
    index.clear();
    loadIndex(listed, java.util.Map.of());
  }

  /** Where a blob is, or null if no index lists it. */
  public PackedBlob lookup(BlobType type, Id id) {
    return index.get(type, id);
  }

  /** True if the blob is indexed or being written. */
  public boolean has(BlobType type, Id id) {
    return index.has(type, id);
  }

  /** Every indexed blob, each at the one place {@link #lookup} gives. */
  public List<PackedBlob> indexedBlobs() {
    return index.all();
  }

  /**
   * Every pack the index names, ordered by id, each with every blob the index lists in it, in
   * offset order. A blob stored in two packs (two backups wrote it at once) is listed in both,
   * though {@link #lookup} and {@link #indexedBlobs} give only one of them.
   */
  public java.util.Map<Id, List<PackedBlob>> indexedPacks() {
    java.util.Map<Id, List<PackedBlob>> byPack = new java.util.TreeMap<>();
    for (PackedBlob b : index.all()) {
      byPack.computeIfAbsent(b.pack(), p -> new ArrayList<>()).add(b);
    }
    for (PackedBlob b : index.copies()) {
      byPack.computeIfAbsent(b.pack(), p -> new ArrayList<>()).add(b);
    }
    byPack.values().forEach(l -> l.sort(Comparator.comparingLong(PackedBlob::offset)));
    return byPack;
  }

  /**
   * The places of blobs the index lists more than once (two backups wrote them at once), beyond the
   * one {@link #lookup} gives; empty in the common case.
   */
  public java.util.Set<PackedBlob> indexedCopies() {
    return index.copies();
  }

  /**
   * The index files the index was loaded from: those listed when it was (re)loaded that no other
   * supersedes.
   */
  public java.util.Set<Id> loadedIndexFiles() {
    return index.indexFiles();
  }

  public int indexedCount(BlobType type) {
    return index.size(type);
  }

  // ---------------------------------------------------------------- blobs

  /**
   * Stores a blob unless the repository has it already. Compresses (version 2) when that saves
   * space, encrypts, and appends it to an open pack; full packs are uploaded in the background.
   *
   * @param id the SHA-256 of {@code plaintext}, computed by the caller
   * @return true if the blob was new and is now being stored, false if it was already there
   */
  public boolean saveBlob(BlobType type, Id id, byte[] plaintext) {
    rethrowFailure();
    if (!index.reserve(type, id)) {
      return false;
    }
    try {
      byte[] payload = plaintext;
      int length = plaintext.length;
      int uncompressed = 0;
      if (config.version() >= 2 && options.compressionLevel() > 0 && plaintext.length > 0) {
        // Into a per-thread buffer no larger than the blob: data that does not shrink is stored
        // as it is, without allocating a compressed copy only to throw it away.
        byte[] out = compressBuffer(plaintext.length);
        try {
          int n = compressor.get().compressByteArray(out, 0, plaintext.length, plaintext, 0, plaintext.length);
          if (n < plaintext.length) {
            payload = out;
            length = n;
            uncompressed = plaintext.length;
          }
        } catch (ZstdException e) {
          // the frame would not fit in the blob's own size: incompressible
        }
      }
      Queue<PackWriter> pool = type == BlobType.DATA ? openData : openTrees;
      PackWriter w = type == BlobType.DATA ? dataWriter() : pool.poll();
      if (w == null) {
        w = new PackWriter(type, 64 << 10);
      }
      try {
        w.add(id, key, payload, length, uncompressed);
      } catch (RuntimeException e) {
        if (type == BlobType.DATA) {
          dataWriters.release(); // the writer is dropped with its blobs: the backup fails anyway
        }
        throw e;
      }
      if (w.size() >= options.packSize()) {
        upload(w);
      } else {
        pool.offer(w);
      }
      return true;
    } catch (RuntimeException e) {
      index.release(type, id);
      throw e;
    }
  }

  /** An open data pack: a free one, a new one while fewer than the limit exist, else wait. */
  private PackWriter dataWriter() {
    while (true) {
      PackWriter w = openData.poll();
      if (w != null) {
        return w;
      }
      if (dataWriters.tryAcquire()) {
        return new PackWriter(BlobType.DATA, Math.min(options.packSize(), 4 << 20));
      }
      try {
        w = openData.poll(5, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HoldfastException("interrupted while waiting for an open pack", e);
      }
      if (w != null) {
        return w;
      }
    }
  }

  private byte[] compressBuffer(int size) {
    byte[] b = compressBuffers.get();
    if (b.length < size) {
      b = new byte[Math.max(size, Math.min(2 * b.length, 8 << 20))];
      compressBuffers.set(b);
    }
    return b;
  }

  private void upload(PackWriter w) {
    if (w.type() == BlobType.DATA) {
      dataWriters.release(); // this writer leaves circulation: another may be opened
    }
    w.finish(key);
    byte[] pack = w.buffer();
    int packLength = w.size();
    Id packId = Id.hash(pack, 0, packLength);
    List<PackWriter.Entry> entries = w.entries();
    BlobType type = w.type();
    // Bounded by bytes, not count: finished packs waiting for upload are the largest buffers.
    int permits = Math.min(maxUploadKib, (packLength + 1023) / 1024);
    uploads.acquireUninterruptibly(permits);
    try {
      uploader.execute(() -> {
        try {
          store.put(FileType.PACK.key(packId), pack, 0, packLength);
          List<IndexFile.Blob> blobs = new ArrayList<>(entries.size());
          for (PackWriter.Entry e : entries) {
            PackedBlob where = e.in(type, packId);
            index.add(where);
            blobs.add(IndexFile.Blob.of(where));
          }
          synchronized (unindexed) {
            unindexed.add(new IndexFile.Pack(packId.hex(), blobs));
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
          LOG.error("upload of pack {} failed: {}", packId.shortHex(), t.toString());
        } finally {
          uploads.release(permits);
        }
      });
    } catch (RuntimeException e) {
      uploads.release(permits);
      throw e;
    }
  }

  private void rethrowFailure() {
    Throwable t = failure.get();
    if (t == null) {
      return;
    }
    if (t instanceof IOException io) {
      throw storage("upload a pack", io);
    }
    if (t instanceof HoldfastException h) {
      throw h;
    }
    throw new HoldfastException("pack upload failed: " + t, t);
  }

  /**
   * Uploads every open pack, waits for all uploads, then writes index files for the new packs.
   * After it returns, every blob saved before is durably stored and indexed: a snapshot may now
   * refer to them.
   */
  public void flush() {
    for (Queue<PackWriter> pool : List.of(openData, openTrees)) {
      PackWriter w;
      while ((w = pool.poll()) != null) {
        if (w.count() > 0) {
          upload(w);
        }
      }
    }
    uploads.acquireUninterruptibly(maxUploadKib);
    uploads.release(maxUploadKib);
    rethrowFailure();
    List<IndexFile.Pack> packs;
    synchronized (unindexed) {
      packs = new ArrayList<>(unindexed);
      unindexed.clear();
    }
    writeIndexFiles(packs, List.of());
  }

  /**
   * Writes index files listing {@code packs}, as many as their blobs need (none for no packs). Only
   * the last one supersedes the files {@code supersedes}, so that until all are written a reader
   * still loads the old ones as well.
   *
   * @return the number of index files written
   */
  public int writeIndexFiles(List<IndexFile.Pack> packs, List<Id> supersedes) {
    List<List<IndexFile.Pack>> batches = new ArrayList<>();
    List<IndexFile.Pack> batch = new ArrayList<>();
    int blobs = 0;
    for (IndexFile.Pack p : packs) {
      batch.add(p);
      blobs += p.blobs().size();
      if (blobs >= BLOBS_PER_INDEX) {
        batches.add(batch);
        batch = new ArrayList<>();
        blobs = 0;
      }
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    for (int i = 0; i < batches.size(); i++) {
      writeIndex(batches.get(i), i == batches.size() - 1 ? supersedes : List.of());
    }
    return batches.size();
  }

  /** Writes one index file listing {@code packs} and replacing the index files {@code supersedes}. */
  public Id writeIndex(List<IndexFile.Pack> packs, List<Id> supersedes) {
    List<String> sup = supersedes.stream().map(Id::hex).toList();
    Id id = saveFile(FileType.INDEX, Json.write(new IndexFile(sup, packs)));
    LOG.debug("wrote index {} with {} packs", id.shortHex(), packs.size());
    return id;
  }

  /**
   * Loads, decrypts, decompresses and verifies one blob; if its place is missing or damaged, from
   * another place the index files list for it (see {@link #loadCopy}).
   */
  public byte[] loadBlob(BlobType type, Id id) {
    PackedBlob where = index.get(type, id);
    if (where == null) {
      throw new IntegrityException(type.json() + " blob " + id.shortHex() + " is not in any index");
    }
    return loadBlobOrCopy(where);
  }

  /** The blob at {@code where}, or from another copy when that place is missing or damaged (see {@link #loadCopy}). */
  public byte[] loadBlobOrCopy(PackedBlob where) {
    try {
      return loadBlob(where);
    } catch (IntegrityException e) {
      return loadCopy(where, e);
    }
  }

  /**
   * The blob that could not be read from {@code failed} ({@code failure} says why), loaded and
   * verified from another pack the index files list it in (two backups that wrote it at once leave
   * two copies), with a warning naming both packs. Throws {@code failure}, the other copies' errors
   * suppressed in it, when no other copy reads back sound.
   */
  public byte[] loadCopy(PackedBlob failed, IntegrityException failure) {
    for (PackedBlob copy : index.copiesOf(failed.type(), failed.id())) {
      if (copy.pack().equals(failed.pack())) {
        continue;
      }
      try {
        byte[] plain = loadBlob(copy);
        LOG.warn("{} blob {}: read from its copy in pack {}, since {}", failed.type().json(),
            failed.id().shortHex(), copy.pack().shortHex(), failure.getMessage());
        return plain;
      } catch (IntegrityException e) {
        failure.addSuppressed(e);
      }
    }
    throw failure;
  }

  /** Loads the blob at a known place; every byte is checked against the blob's id. */
  public byte[] loadBlob(PackedBlob where) {
    byte[] stored = readPack(where.pack(), where.offset(), where.length(),
        where.type().json() + " blob " + where.id().shortHex());
    return decodeBlob(where, stored, 0, stored.length);
  }

  /**
   * Reads {@code length} stored bytes of a pack from {@code offset} in one ranged read (for readers
   * that fetch several neighbouring blobs at once); {@code neededFor} names what they are for in
   * the error when the pack is missing or too short. Nothing is checked here: see {@link #decodeBlob}.
   */
  public byte[] readPack(Id pack, long offset, int length, String neededFor) {
    String k = FileType.PACK.key(pack);
    try {
      return store.get(k, offset, length);
    } catch (NoSuchFileException e) {
      throw new IntegrityException("pack " + pack.shortHex() + " is missing (needed for " + neededFor + ")", e);
    } catch (java.io.EOFException e) {
      throw new IntegrityException("pack " + pack.shortHex() + " is truncated (needed for " + neededFor + ")", e);
    } catch (IOException e) {
      throw storage("read " + k, e);
    }
  }

  /** Decrypts and checks one blob given its stored bytes (for readers that fetched a whole pack). */
  public byte[] decodeBlob(PackedBlob where, byte[] buf, int off, int len) {
    byte[] plain;
    try {
      plain = key.decrypt(buf, off, len);
    } catch (IntegrityException e) {
      throw new IntegrityException(where.type().json() + " blob " + where.id().shortHex() + " in pack "
          + where.pack().shortHex() + ": MAC does not verify (damaged)", e);
    }
    if (where.compressed()) {
      try {
        byte[] out = DECOMPRESSOR.get().decompress(plain, where.uncompressedLength());
        if (out.length != where.uncompressedLength()) {
          throw new IntegrityException("blob " + where.id().shortHex() + ": decompressed to "
              + out.length + " bytes, expected " + where.uncompressedLength());
        }
        plain = out;
      } catch (ZstdException e) {
        throw new IntegrityException("blob " + where.id().shortHex() + " in pack "
            + where.pack().shortHex() + ": cannot decompress", e);
      }
    }
    if (!Id.hash(plain).equals(where.id())) {
      throw new IntegrityException(where.type().json() + " blob " + where.id().shortHex() + " in pack "
          + where.pack().shortHex() + ": content does not match its id");
    }
    return plain;
  }

  /** Loads a tree blob and checks that its names are safe to restore. */
  public Tree loadTree(Id id) {
    return checkedTree(id, loadBlob(BlobType.TREE, id));
  }

  /** Parses a tree blob's checked plaintext (see {@link #decodeBlob}) and checks its names. */
  public static Tree checkedTree(Id id, byte[] plain) {
    Tree tree = Tree.parse(plain, id);
    tree.checkNames(id);
    return tree;
  }

  /**
   * The node at {@code subpath} ('/'-separated, leading and trailing slashes ignored) under the
   * root tree {@code root}, or null for "" (the root itself, which has no node).
   *
   * @throws HoldfastException if the path is not in the tree
   */
  public Node resolve(Id root, String subpath) {
    String clean = subpath == null ? "" : subpath.replaceAll("^/+|/+$", "");
    if (clean.isEmpty()) {
      return null;
    }
    Id tree = root;
    Node node = null;
    for (String part : clean.split("/+")) {
      if (tree == null) {
        throw new HoldfastException("'" + subpath + "': " + node.name() + " is not a directory");
      }
      node = loadTree(tree).find(part);
      if (node == null) {
        throw new HoldfastException("'" + subpath + "' is not in the snapshot");
      }
      tree = node.isDir() && node.subtree() != null ? Id.parse(node.subtree()) : null;
    }
    return node;
  }

  /** Stores a tree blob (deduplicated like any blob); returns its id. */
  public Id saveTree(Tree tree) {
    byte[] bytes = tree.toBytes();
    Id id = Id.hash(bytes);
    saveBlob(BlobType.TREE, id, bytes);
    return id;
  }

  /** The blobs listed in a pack's own header (read from the store, not the index). */
  public List<PackedBlob> readPackHeader(Id pack) {
    String k = FileType.PACK.key(pack);
    long size;
    try {
      size = store.stat(k).size();
    } catch (NoSuchFileException e) {
      throw new IntegrityException("pack " + pack.shortHex() + " is missing", e);
    } catch (IOException e) {
      throw storage("read header of " + k, e);
    }
    return readPackHeader(pack, size);
  }

  /** Like {@link #readPackHeader(Id)}, for a caller that knows the pack's size already. */
  public List<PackedBlob> readPackHeader(Id pack, long size) {
    return parsePackHeader(pack, readPackTail(pack, size), size);
  }

  /**
   * The last bytes of a pack, enough to hold its header and length field if the length field is
   * sound: the last 64 KiB (or the whole pack if shorter), and when the header is longer, the bytes
   * before those too. Each byte is fetched once. Nothing is checked: see {@link #parsePackHeader}.
   */
  public byte[] readPackTail(Id pack, long size) {
    String k = FileType.PACK.key(pack);
    try {
      int tailLen = (int) Math.min(size, 64 << 10);
      byte[] tail = store.get(k, size - tailLen, tailLen);
      int headerLen = tail.length < 4 ? 0 : PackWriter.getLe32(tail, tail.length - 4);
      if (headerLen + 4L > tailLen && headerLen + 4L <= size) {
        byte[] before = store.get(k, size - headerLen - 4, headerLen + 4 - tailLen);
        byte[] whole = Arrays.copyOf(before, headerLen + 4);
        System.arraycopy(tail, 0, whole, before.length, tail.length);
        tail = whole;
      }
      return tail;
    } catch (NoSuchFileException e) {
      throw new IntegrityException("pack " + pack.shortHex() + " is missing", e);
    } catch (IOException e) {
      throw storage("read header of " + k, e);
    }
  }

  /** The blobs listed in a pack's header, given the pack's last bytes ({@link #readPackTail}) and size. */
  public List<PackedBlob> parsePackHeader(Id pack, byte[] tail, long size) {
    return PackHeader.read(pack, tail, size, key, config.version());
  }

  // ---------------------------------------------------------------- snapshots

  /** A snapshot file and its id. */
  public record Snapshot(Id id, SnapshotFile file) {
    public ZonedDateTime time() {
      return GoTime.parse(file.time());
    }
  }

  public Id saveSnapshot(SnapshotFile snapshot) {
    return saveFile(FileType.SNAPSHOT, Json.write(snapshot));
  }

  public Snapshot loadSnapshot(Id id) {
    return new Snapshot(id, Json.read(loadFile(FileType.SNAPSHOT, id), SnapshotFile.class,
        "snapshots/" + id.shortHex()));
  }

  /** Every snapshot, oldest first. */
  public List<Snapshot> snapshots() {
    List<Snapshot> out = new ArrayList<>();
    for (Id id : list(FileType.SNAPSHOT)) {
      out.add(loadSnapshot(id));
    }
    out.sort(Comparator.comparing((Snapshot s) -> s.time().toInstant()).thenComparing(Snapshot::id));
    return out;
  }

  /** A snapshot by full id, unique id prefix, or {@code latest}. */
  public Snapshot findSnapshot(String ref) {
    if ("latest".equals(ref)) {
      List<Snapshot> all = snapshots();
      if (all.isEmpty()) {
        throw new HoldfastException("the repository has no snapshots");
      }
      return all.get(all.size() - 1);
    }
    String want = ref.toLowerCase(java.util.Locale.ROOT);
    List<Id> matches = list(FileType.SNAPSHOT).stream().filter(id -> id.hex().startsWith(want)).toList();
    if (matches.isEmpty() || want.isEmpty()) {
      throw new HoldfastException("no snapshot matches '" + ref + "'");
    }
    if (matches.size() > 1) {
      throw new HoldfastException("'" + ref + "' matches " + matches.size() + " snapshots; give more digits");
    }
    return loadSnapshot(matches.get(0));
  }

  /**
   * The snapshot a caller means. {@code ref} is a full id, a unique id prefix, or {@code latest}:
   * the newest snapshot that carries every one of {@code tags} and was taken at or before {@code
   * asOf} (null for no limit). A snapshot named by id must meet the same conditions.
   *
   * @throws HoldfastException naming what was asked for when no snapshot matches
   */
  public Snapshot findSnapshot(String ref, java.util.Collection<String> tags, java.time.Instant asOf) {
    String wanted = (tags.isEmpty() ? "" : " with tags " + tags) + (asOf == null ? "" : " taken at or before " + asOf);
    if (!"latest".equals(ref)) {
      Snapshot s = findSnapshot(ref);
      if (!matches(s, tags, asOf)) {
        throw new HoldfastException("snapshot " + s.id().shortHex() + " (taken " + s.time().toInstant()
            + ", tags " + tagsOf(s) + ") is not a snapshot" + wanted);
      }
      return s;
    }
    Optional<Snapshot> best = latest(tags, asOf);
    if (best.isEmpty()) {
      Snapshot oldest = snapshots().stream().filter(s -> tagsOf(s).containsAll(tags)).findFirst().orElse(null);
      throw new HoldfastException("no snapshot" + (wanted.isEmpty() ? " in the repository" : wanted)
          + (oldest == null ? "" : "; the oldest" + (tags.isEmpty() ? "" : " with these tags")
              + " was taken " + oldest.time().toInstant()));
    }
    return best.get();
  }

  /**
   * The latest snapshot with all of {@code tags} taken at or before {@code asOf} (any time when
   * null), or empty when there is none: {@link #findSnapshot(String, java.util.Collection,
   * java.time.Instant)} for {@code latest}, for callers to whom no snapshot is no error.
   */
  public Optional<Snapshot> latest(java.util.Collection<String> tags, java.time.Instant asOf) {
    Snapshot best = null;
    for (Snapshot s : snapshots()) { // oldest first
      if (matches(s, tags, asOf)) {
        best = s;
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean matches(Snapshot s, java.util.Collection<String> tags, java.time.Instant asOf) {
    return tagsOf(s).containsAll(tags) && (asOf == null || !s.time().toInstant().isAfter(asOf));
  }

  private static List<String> tagsOf(Snapshot s) {
    return s.file().tags() == null ? List.of() : s.file().tags();
  }

  // ---------------------------------------------------------------- keys

  /** A key file's public facts. */
  public record KeyInfo(Id id, String hostname, String username, ZonedDateTime created, boolean current) {}

  /** Adds a key file for another password that opens the same master key. */
  public Id addKey(char[] password, ScryptParams kdf) {
    Host host = Host.current();
    byte[] json = KeyFile.create(key, password, kdf, host.hostname(), host.username(),
        ZonedDateTime.now(clock), RANDOM).toJson();
    Id id = Id.hash(json);
    try {
      store.put(FileType.KEY.key(id), json);
    } catch (IOException e) {
      throw storage("write " + FileType.KEY.key(id), e);
    }
    return id;
  }

  public List<KeyInfo> keys() {
    List<KeyInfo> out = new ArrayList<>();
    for (Id id : list(FileType.KEY)) {
      try {
        KeyFile f = KeyFile.parse(store.get(FileType.KEY.key(id)), FileType.KEY.key(id));
        out.add(new KeyInfo(id, f.hostname(), f.username(), f.created(), id.equals(keyId)));
      } catch (IOException e) {
        throw storage("read " + FileType.KEY.key(id), e);
      }
    }
    return out;
  }

  /** Removes a key file; refuses the key this repository was opened with. */
  public void removeKey(Id id) {
    if (id.equals(keyId)) {
      throw new HoldfastException("refusing to remove key " + id.shortHex() + ": it is the key in use");
    }
    try {
      store.delete(FileType.KEY.key(id));
    } catch (IOException e) {
      throw storage("delete " + FileType.KEY.key(id), e);
    }
  }

  // ---------------------------------------------------------------- misc

  static StorageException storage(String what, IOException e) {
    return new StorageException("cannot " + what + ": " + e, e);
  }

  @Override
  public void close() {
    uploader.shutdown();
    try {
      if (!uploader.awaitTermination(1, TimeUnit.MINUTES)) {
        uploader.shutdownNow();
      }
    } catch (InterruptedException e) {
      uploader.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
