package io.holdfast.s3;

import io.holdfast.HoldfastException;
import io.holdfast.IntegrityException;
import io.holdfast.StorageException;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.RepositoryOptions;
import io.holdfast.internal.repo.Tree;
import io.holdfast.s3.internal.Etags;
import io.holdfast.s3.internal.KeyNames;
import io.holdfast.s3.internal.MetadataSidecar;
import io.holdfast.s3.internal.MultipartUpload;
import io.holdfast.s3.internal.ObjectMetadata;
import io.holdfast.s3.internal.SnapshotContent;
import io.holdfast.storage.BlobStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Brings a bucket prefix back to the state an {@link S3BucketDataset} snapshot recorded: the same
 * bucket or another, the recorded prefix or another. Objects missing from the target are put,
 * objects whose content differs are overwritten, objects whose content is the same but whose
 * content type, headers or user metadata differ are rewritten with the recorded metadata, and
 * objects unchanged are not touched. Keys under the prefix that the snapshot does not hold are left
 * alone unless {@link Builder#deleteExtra()} is set. A {@link Builder#dryRun() dry run} lists the
 * same changes without writing anything.
 *
 * <p>Content is compared by size and ETag: the recorded ETag, or one computed from the
 * repository's copy of the content (MD5, or multipart MD5 for our own and the common part sizes).
 * Uploads stream from the repository: a single PUT up to the part size, multipart above it, with
 * one part per upload in memory; every byte is checked against its blob's hash as it is read, and
 * the object's size against the snapshot.
 *
 * <p>The snapshot is chosen as in {@link io.holdfast.RestorePlan}: by id, {@code latest}, tags,
 * plan, or as of an instant. A shared repository lock is held while the restore runs. Immutable;
 * {@link #run()} may be called more than once. The caller owns the {@link S3Client}, and holds its
 * application still while the bucket is replaced. {@link #run()} throws a {@link HoldfastException}
 * when the restore cannot finish (a {@link StorageException} for an S3 error); objects written
 * before that stay written, and running it again finishes the job.
 */
public final class S3BucketRestore {
  /** What the restore does to one key. */
  public enum Action {
    /** The key is missing from the target: written. */
    PUT,
    /** The key holds other content: written over. */
    OVERWRITE,
    /** Same content, other content type, headers or user metadata: rewritten with the recorded ones. */
    METADATA,
    /** The key is not in the snapshot (only with {@link Builder#deleteExtra()}): deleted. */
    DELETE
  }

  /** One change to the target: what is (or, in a dry run, would be) done to {@code key}. */
  public record Change(Action action, String key, long size) {}

  /** What a restore did (or would do): its changes in key order and how much was left as it was. */
  public record Report(String snapshotId, String bucket, String prefix, boolean dryRun, List<Change> changes,
      long unchanged, long bytesWritten) {}

  private static final long MIB = 1024 * 1024;

  private final BlobStore store;
  private final Supplier<char[]> password;
  private final String dataset;
  private final S3Client s3;
  private final String bucket;
  private final String snapshot;
  private final Set<String> tags;
  private final Instant asOf;
  private final String prefix;
  private final boolean deleteExtra;
  private final boolean dryRun;
  private final int parallelism;
  private final long partSize;

  private S3BucketRestore(Builder b) {
    this.store = b.store;
    this.password = b.password;
    this.dataset = b.dataset;
    this.s3 = b.s3;
    this.bucket = b.bucket;
    this.snapshot = b.snapshot;
    this.tags = Set.copyOf(b.tags);
    this.asOf = b.asOf;
    this.prefix = b.prefix;
    this.deleteExtra = b.deleteExtra;
    this.dryRun = b.dryRun;
    this.parallelism = b.parallelism;
    this.partSize = b.partSize;
  }

  /**
   * A restore of bucket dataset {@code dataset} from the repository on {@code store} into
   * {@code bucket}. The password is asked for when the restore runs and cleared after use.
   */
  public static Builder builder(BlobStore store, Supplier<char[]> password, String dataset, S3Client s3,
      String bucket) {
    return new Builder(store, password, dataset, s3, bucket);
  }

  /** Restores (or, for a dry run, plans) the bucket; see the class comment. */
  public Report run() {
    char[] pw = password.get();
    if (pw == null) {
      throw new IllegalStateException("the password supplier returned null");
    }
    Repository repo;
    try {
      repo = Repository.open(store, pw.clone(), RepositoryOptions.defaults(), Clock.systemUTC());
    } finally {
      Arrays.fill(pw, '\0');
    }
    try (repo; RepositoryLock lock = RepositoryLock.acquire(repo, false)) {
      Repository.Snapshot snap = repo.findSnapshot(snapshot, tags, asOf);
      Node dir = repo.loadTree(Id.parse(snap.file().tree())).find(dataset);
      if (dir == null || !dir.isDir() || dir.subtree() == null) {
        throw new HoldfastException("snapshot " + snap.id().shortHex() + " has no dataset '" + dataset + "'");
      }
      SnapshotContent content = new SnapshotContent(repo, Id.parse(dir.subtree()));
      Node sidecar = content.file(KeyNames.RESERVED + "/" + MetadataSidecar.FILE_NAME);
      if (sidecar == null) {
        throw new HoldfastException("dataset '" + dataset + "' of snapshot " + snap.id().shortHex()
            + " has no " + KeyNames.RESERVED + "/" + MetadataSidecar.FILE_NAME + "; it is not an S3 bucket dataset");
      }
      return new Run(snap, content).restore(sidecar);
    }
  }

  /** The target object as listed. */
  private record Remote(long size, String etag) {}

  /** One run: the target's listing, the changes so far, the upload pool. */
  private final class Run {
    private final Repository.Snapshot snap;
    private final SnapshotContent content;
    private final List<Change> changes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private String targetPrefix;

    Run(Repository.Snapshot snap, SnapshotContent content) {
      this.snap = snap;
      this.content = content;
    }

    Report restore(Node sidecar) {
      ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
        Thread t = new Thread(r, "holdfast-s3-restore");
        t.setDaemon(true);
        return t;
      });
      Semaphore slots = new Semaphore(parallelism * 2);
      List<Future<?>> work = new ArrayList<>();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(content.open(sidecar), StandardCharsets.UTF_8))) {
        AtomicReference<Map<String, Remote>> remote = new AtomicReference<>();
        MetadataSidecar.read(in, header -> {
          targetPrefix = prefix != null ? prefix : header.prefix();
          remote.set(listTarget());
        }, line -> {
          Remote r = remote.get().remove(line.key());
          slots.acquireUninterruptibly();
          work.add(pool.submit(() -> {
            try {
              one(line, r);
            } finally {
              slots.release();
            }
            return null;
          }));
          Iterable<Future<?>> done = work.stream().filter(Future::isDone).toList();
          for (Future<?> f : done) {
            join(f);
          }
          work.removeIf(Future::isDone);
        });
        for (Future<?> f : work) {
          join(f);
        }
        if (deleteExtra) {
          work.clear();
          for (Map.Entry<String, Remote> extra : remote.get().entrySet()) {
            String key = extra.getKey();
            changes.add(new Change(Action.DELETE, key, extra.getValue().size()));
            if (!dryRun) {
              work.add(pool.submit(() -> s3call("delete", key, () -> s3.deleteObject(b -> b.bucket(bucket)
                  .key(targetPrefix + key)))));
            }
          }
          for (Future<?> f : work) {
            join(f);
          }
        }
      } catch (IOException e) {
        throw new HoldfastException("cannot read the object metadata of dataset '" + dataset + "': " + e.getMessage(), e);
      } finally {
        stop(pool);
      }
      List<Change> sorted = new ArrayList<>(changes);
      sorted.sort(Comparator.comparing(Change::key));
      return new Report(snap.id().hex(), bucket, targetPrefix, dryRun, List.copyOf(sorted), unchanged.get(),
          written.get());
    }

    /**
     * Stops the uploads still running (after a failure) and waits for them, so that none writes to
     * the bucket or reads the repository after the run has returned and released its lock.
     */
    private void stop(ExecutorService pool) {
      pool.shutdownNow();
      try {
        // bounded: an S3 call that ignores the interrupt ends by its own timeouts
        pool.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void join(Future<?> f) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HoldfastException("bucket restore interrupted", e);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new HoldfastException("bucket restore failed: " + e.getCause(), e.getCause());
      }
    }

    private Map<String, Remote> listTarget() {
      Map<String, Remote> out = new ConcurrentHashMap<>();
      s3call("list", "", () -> {
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(targetPrefix))) {
          for (S3Object o : page.contents()) {
            out.put(o.key().substring(targetPrefix.length()), new Remote(o.size(), S3BucketDataset.etag(o.eTag())));
          }
        }
        return null;
      });
      return out;
    }

    private void one(MetadataSidecar.Line line, Remote remote) throws IOException {
      Node file = content.file(line.path());
      if (file == null) {
        throw new IntegrityException("snapshot " + snap.id().shortHex() + ": object " + line.key() + " is listed in "
            + MetadataSidecar.FILE_NAME + " but its file " + line.path() + " is not in dataset '" + dataset + "'");
      }
      Action action;
      if (remote == null) {
        action = Action.PUT;
      } else if (remote.size() != file.sizeOrZero() || !sameContent(remote, line, file)) {
        action = Action.OVERWRITE;
      } else if (!sameMetadata(line)) {
        action = Action.METADATA;
      } else {
        unchanged.incrementAndGet();
        return;
      }
      changes.add(new Change(action, line.key(), file.sizeOrZero()));
      if (!dryRun) {
        upload(targetPrefix + line.key(), file, line.metadata());
      }
    }

    private boolean sameContent(Remote remote, MetadataSidecar.Line line, Node file) throws IOException {
      if (remote.etag() != null && remote.etag().equals(line.etag())) {
        return true;
      }
      try (InputStream in = content.open(file)) {
        return Etags.matches(remote.etag(), file.sizeOrZero(), partSize, in);
      }
    }

    private boolean sameMetadata(MetadataSidecar.Line line) {
      HeadObjectResponse h = s3call("stat", line.key(), () -> s3.headObject(b -> b.bucket(bucket)
          .key(targetPrefix + line.key())));
      return ObjectMetadata.of(h).equals(line.metadata());
    }

    private void upload(String key, Node file, ObjectMetadata m) throws IOException {
      long size = file.sizeOrZero();
      try (InputStream in = content.open(file)) {
        if (size <= partSize) {
          byte[] data = in.readNBytes((int) size);
          checkSize(key, size, data.length, in);
          s3call("write", key, () -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(m.contentType())
              .cacheControl(m.cacheControl()).contentEncoding(m.contentEncoding())
              .contentDisposition(m.contentDisposition()).contentLanguage(m.contentLanguage())
              .metadata(m.userMetadata()), RequestBody.fromBytes(data)));
          written.addAndGet(data.length);
          return;
        }
        multipart(key, size, m, in);
      }
    }

    private void multipart(String key, long size, ObjectMetadata m, InputStream in) throws IOException {
      MultipartUpload upload = s3call("write", key, () -> MultipartUpload.start(s3, bucket, key, b -> b
          .contentType(m.contentType()).cacheControl(m.cacheControl()).contentEncoding(m.contentEncoding())
          .contentDisposition(m.contentDisposition()).contentLanguage(m.contentLanguage())
          .metadata(m.userMetadata())));
      try {
        List<CompletedPart> parts = new ArrayList<>();
        long total = 0;
        for (int n = 1; ; n++) {
          byte[] part = in.readNBytes((int) partSize);
          if (part.length == 0) {
            break;
          }
          total += part.length;
          int number = n;
          parts.add(s3call("write", key, () -> upload.upload(number, RequestBody.fromBytes(part), false)));
          written.addAndGet(part.length);
        }
        checkSize(key, size, total, in);
        s3call("write", key, () -> {
          upload.complete(parts, false);
          return null;
        });
      } catch (IOException | RuntimeException | Error e) {
        upload.abortAfter(e); // a failed abort is named in e: its parts stay until a lifecycle rule removes them
        throw e;
      }
    }

    private void checkSize(String key, long want, long got, InputStream in) throws IOException {
      if (got != want || in.read() >= 0) {
        throw new IntegrityException("snapshot " + snap.id().shortHex() + ": object " + key + " should hold " + want
            + " bytes but the repository holds " + (got == want ? "more" : got));
      }
    }
  }

  private <T> T s3call(String what, String key, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      IOException io = new io.holdfast.s3.internal.S3Errors(bucket, "").translate(what, key, e);
      throw new StorageException(io.getMessage(), io);
    }
  }

  /** Builds an {@link S3BucketRestore}; not thread-safe. */
  public static final class Builder {
    private final BlobStore store;
    private final Supplier<char[]> password;
    private final String dataset;
    private final S3Client s3;
    private final String bucket;
    private String snapshot = "latest";
    private final Set<String> tags = new LinkedHashSet<>();
    private Instant asOf;
    private String prefix;
    private boolean deleteExtra;
    private boolean dryRun;
    private int parallelism = Math.max(2, Runtime.getRuntime().availableProcessors());
    private long partSize = 8 * MIB;

    private Builder(BlobStore store, Supplier<char[]> password, String dataset, S3Client s3, String bucket) {
      this.store = Objects.requireNonNull(store, "store");
      this.password = Objects.requireNonNull(password, "password");
      this.dataset = Objects.requireNonNull(dataset, "dataset");
      this.s3 = Objects.requireNonNull(s3, "s3");
      this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /** A snapshot id (or unique prefix), or {@code latest} (the default). */
    public Builder snapshot(String idOrLatest) {
      this.snapshot = Objects.requireNonNull(idOrLatest, "snapshot");
      return this;
    }

    public Builder tag(String tag) {
      tags.add(Objects.requireNonNull(tag, "tag"));
      return this;
    }

    /** Only snapshots of the backup plan named {@code name}. */
    public Builder plan(String name) {
      return tag(io.holdfast.internal.repo.SnapshotFile.planTag(name));
    }

    /** The latest snapshot at or before {@code instant}. */
    public Builder asOf(Instant instant) {
      this.asOf = Objects.requireNonNull(instant, "asOf");
      return this;
    }

    /** The target key prefix; the one the snapshot recorded by default. */
    public Builder prefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** Also delete keys under the prefix that the snapshot does not hold (off by default). */
    public Builder deleteExtra() {
      this.deleteExtra = true;
      return this;
    }

    /** List the changes, write nothing. */
    public Builder dryRun() {
      this.dryRun = true;
      return this;
    }

    public Builder parallelism(int n) {
      this.parallelism = n;
      return this;
    }

    /** Objects larger than this are uploaded in parts of this size; 8 MiB by default, at least 5 MiB. */
    public Builder partSize(long bytes) {
      this.partSize = bytes;
      return this;
    }

    public S3BucketRestore build() {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
      }
      if (partSize < 5 * MIB || partSize > 512 * MIB) {
        throw new IllegalArgumentException("part size must be 5 MiB to 512 MiB, got " + partSize);
      }
      return new S3BucketRestore(this);
    }
  }
}
