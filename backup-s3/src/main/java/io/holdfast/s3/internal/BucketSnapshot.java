package io.holdfast.s3.internal;

import io.holdfast.spi.Snapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** A bucket prefix frozen as a listing; its root is a {@link BucketFileSystem}. Closing deletes its local file. */
public final class BucketSnapshot implements Snapshot {
  private final BucketFileSystem fs;
  private final Map<String, String> references;

  public BucketSnapshot(BucketFileSystem fs, Map<String, String> references) {
    this.fs = fs;
    this.references = Map.copyOf(references);
  }

  /** Lists {@code bucket}/{@code prefix} into a snapshot; {@code listing} is already frozen. */
  public static BucketSnapshot of(BucketListing listing, BucketReader reader, String bucket, String prefix,
      boolean versioned, Instant listedAt, Path staging) {
    MetadataSidecar sidecar = new MetadataSidecar(listing, reader, bucket, prefix, versioned, listedAt, staging);
    Map<String, String> refs = new TreeMap<>();
    refs.put("s3.bucket", bucket);
    refs.put("s3.prefix", prefix);
    refs.put("s3.versions", versioned ? "pinned" : "live");
    refs.put("s3.objects", Long.toString(listing.count()));
    refs.put("s3.bytes", Long.toString(listing.bytes()));
    refs.put("s3.listed_at", listedAt.toString());
    refs.put("s3.metadata", KeyNames.RESERVED + "/" + MetadataSidecar.FILE_NAME);
    return new BucketSnapshot(new BucketFileSystem(listing, reader, prefix, sidecar), refs);
  }

  @Override
  public Path root() {
    return fs.root();
  }

  @Override
  public Map<String, String> externalReferences() {
    return references;
  }

  @Override
  public void close() throws IOException {
    fs.close();
  }
}
