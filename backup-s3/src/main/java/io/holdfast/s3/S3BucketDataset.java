package io.holdfast.s3;

import io.holdfast.s3.internal.BucketListing;
import io.holdfast.s3.internal.BucketSnapshot;
import io.holdfast.s3.internal.S3BucketReader;
import io.holdfast.spi.Dataset;
import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The objects of an S3 bucket under a prefix as a dataset. Its snapshot is a read-only directory
 * tree: prefixes are directories, objects are files (size; last-modified time as mtime), read by
 * streaming GETs, never buffered whole. Two ways to freeze it:
 *
 * <ul>
 *   <li><b>version-pinned</b> (the default, {@link SnapshotProvider.Capability#INSTANT}): the
 *       bucket must have versioning enabled. Inside the gate's hold {@code take()} only lists the
 *       current version id of every key under the prefix; after the hold the backup reads exactly
 *       those versions while the application writes again. Objects written after the listing are
 *       not in the snapshot; an object overwritten since is read as its pinned version.
 *   <li><b>live listing</b> ({@link #liveListing()}, {@link SnapshotProvider.Capability#NONE}):
 *       for buckets without versioning; the engine lists and reads every object inside the hold,
 *       so the gate stays held for the whole copy.
 * </ul>
 *
 * <p>Keys become path names by the reversible scheme of {@code io.holdfast.s3.internal.KeyNames}:
 * {@code %} is written {@code %25} and NUL {@code %00}; the segments {@code .} and {@code ..}
 * become {@code %2E} and {@code %2E%2E}; an empty segment ({@code a//b}, a leading {@code /}, the
 * trailing {@code /} of a directory marker object) becomes a lone {@code %}; names over 253 bytes
 * are cut into pieces ending in {@code %+}, each a directory holding the rest; a key that is also a
 * prefix of other keys ({@code a} beside {@code a/b}) is the file {@code a%~}; a top-level segment
 * {@code .holdfast-s3} becomes {@code %2Eholdfast-s3}. Ordinary keys read as themselves.
 *
 * <p>Object metadata is in the snapshot as {@code <dataset>/.holdfast-s3/metadata.jsonl}: a header
 * line (bucket, prefix, versioned), then a JSON line per object with its relative key, its path in
 * the tree, version id, ETag, size, time, content type, cache control, content encoding,
 * disposition and language, and user metadata. It is gathered by a HEAD request per object when
 * the backup reads the snapshot (after the hold, for a pinned snapshot), staged in a local
 * temporary file, and used by {@link S3BucketRestore} to put objects back as they were.
 *
 * <p>Memory: the listing is held while the backup runs, a few hundred bytes per key. Immutable and
 * thread-safe; the caller owns and closes the {@link S3Client}. A take that fails (versioning not
 * enabled, a listing error) throws an {@link IOException} naming the bucket, and the backup fails.
 */
public final class S3BucketDataset implements Dataset {
  private final String name;
  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final boolean pinned;
  private final Path staging;
  private final Clock clock;
  private final SnapshotProvider provider;

  private S3BucketDataset(Builder b) {
    this.name = b.name;
    this.s3 = b.s3;
    this.bucket = b.bucket;
    this.prefix = b.prefix;
    this.pinned = b.pinned;
    this.staging = b.staging;
    this.clock = b.clock;
    this.provider = new Provider();
  }

  /** A dataset named {@code name} of every object in {@code bucket} (narrow it with a prefix). */
  public static Builder builder(String name, S3Client s3, String bucket) {
    return new Builder(name, s3, bucket);
  }

  @Override
  public String name() {
    return name;
  }

  public String bucket() {
    return bucket;
  }

  /** The key prefix; keys in the snapshot are relative to it. Empty for the whole bucket. */
  public String prefix() {
    return prefix;
  }

  /** Whether snapshots pin object versions (true) or read the live bucket inside the hold. */
  public boolean versionPinned() {
    return pinned;
  }

  @Override
  public SnapshotProvider provider() {
    return provider;
  }

  @Override
  public Map<String, String> describe() {
    return Map.of("kind", "s3-bucket", "bucket", bucket, "prefix", prefix, "provider", provider.name());
  }

  @Override
  public String toString() {
    return "S3BucketDataset[" + name + ": s3://" + bucket + "/" + prefix + ", " + provider.name() + "]";
  }

  private final class Provider implements SnapshotProvider {
    @Override
    public String name() {
      return pinned ? "s3-versions" : "s3-live";
    }

    @Override
    public Capability capability() {
      return pinned ? Capability.INSTANT : Capability.NONE;
    }

    @Override
    public Snapshot take() throws IOException {
      try {
        if (pinned) {
          BucketVersioningStatus status = s3.getBucketVersioning(b -> b.bucket(bucket)).status();
          if (status != BucketVersioningStatus.ENABLED) {
            throw new IOException("bucket " + bucket + " has versioning "
                + (status == null ? "never enabled" : status.toString().toLowerCase(java.util.Locale.ROOT))
                + "; a version-pinned snapshot needs it enabled (PutBucketVersioning Status=Enabled), or build the "
                + "dataset " + name + " with liveListing() so the gate is held while the bucket is read");
          }
        }
        Instant at = clock.instant();
        BucketListing listing = pinned ? listVersions() : listLive();
        return BucketSnapshot.of(listing.freeze(), new S3BucketReader(s3, bucket), bucket, prefix, pinned, at, staging);
      } catch (SdkException e) {
        throw new io.holdfast.s3.internal.S3Errors(bucket, "").translate("list", prefix, e);
      }
    }

    private BucketListing listVersions() {
      BucketListing listing = new BucketListing();
      for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(prefix))) {
        for (ObjectVersion v : page.versions()) {
          if (Boolean.TRUE.equals(v.isLatest())) {
            listing.add(v.key().substring(prefix.length()), new BucketListing.ObjectFile(v.versionId(),
                etag(v.eTag()), v.size(), v.lastModified().toEpochMilli()));
          }
        }
      }
      return listing;
    }

    private BucketListing listLive() {
      BucketListing listing = new BucketListing();
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
        for (S3Object o : page.contents()) {
          listing.add(o.key().substring(prefix.length()), new BucketListing.ObjectFile(null, etag(o.eTag()),
              o.size(), o.lastModified().toEpochMilli()));
        }
      }
      return listing;
    }
  }

  static String etag(String quoted) {
    if (quoted != null && quoted.length() >= 2 && quoted.startsWith("\"") && quoted.endsWith("\"")) {
      return quoted.substring(1, quoted.length() - 1);
    }
    return quoted;
  }

  /** Builds an {@link S3BucketDataset}; not thread-safe. */
  public static final class Builder {
    private final String name;
    private final S3Client s3;
    private final String bucket;
    private String prefix = "";
    private boolean pinned = true;
    private Path staging = Path.of(System.getProperty("java.io.tmpdir"));
    private Clock clock = Clock.systemUTC();

    private Builder(String name, S3Client s3, String bucket) {
      this.name = Objects.requireNonNull(name, "name");
      this.s3 = Objects.requireNonNull(s3, "s3");
      this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /** Only keys starting with {@code prefix} (usually ending in {@code /}); the default is the whole bucket. */
    public Builder prefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** Pin object versions under the hold, read after it (the default; needs bucket versioning). */
    public Builder versionPinned() {
      this.pinned = true;
      return this;
    }

    /** List and read the live bucket, all inside the hold (for buckets without versioning). */
    public Builder liveListing() {
      this.pinned = false;
      return this;
    }

    /** Where the snapshot's metadata file is staged while a backup runs; the system temp directory by default. */
    public Builder stagingDirectory(Path dir) {
      this.staging = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** The clock of the listing time recorded in the manifest. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public S3BucketDataset build() {
      if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.startsWith(".holdfast")) {
        throw new IllegalArgumentException("invalid dataset name '" + name + "'");
      }
      if (bucket.isEmpty() || bucket.contains("/")) {
        throw new IllegalArgumentException("invalid bucket name '" + bucket + "'");
      }
      return new S3BucketDataset(this);
    }
  }
}
