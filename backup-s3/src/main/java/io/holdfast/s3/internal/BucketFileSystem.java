package io.holdfast.s3.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;

/**
 * A read-only {@link FileSystem} over a {@link BucketListing}: the tree of a bucket prefix as it
 * was listed, objects read from the bucket by their pinned version, plus the directory
 * {@code /.holdfast-s3} holding {@link MetadataSidecar#FILE_NAME}. Thread-safe. {@link #close()}
 * deletes the sidecar's local file.
 */
public final class BucketFileSystem extends FileSystem {
  private final BucketFileSystemProvider provider = new BucketFileSystemProvider(this);
  private final BucketListing listing;
  private final BucketReader reader;
  private final String prefix;
  private final MetadataSidecar sidecar;
  private volatile boolean open = true;

  /**
   * @param prefix what the listing's relative keys are relative to
   * @param sidecar writes the object metadata file when it is first needed
   */
  public BucketFileSystem(BucketListing listing, BucketReader reader, String prefix, MetadataSidecar sidecar) {
    this.listing = listing;
    this.reader = reader;
    this.prefix = prefix;
    this.sidecar = sidecar;
  }

  /** The root directory: the dataset's content. */
  public Path root() {
    return new BucketPath(this, true, List.of());
  }

  BucketListing listing() {
    return listing;
  }

  BucketReader reader() {
    return reader;
  }

  MetadataSidecar sidecar() {
    return sidecar;
  }

  /** The full S3 key of the object at {@code names}. */
  String key(List<String> names) {
    return prefix + KeyNames.key(names);
  }

  @Override
  public BucketFileSystemProvider provider() {
    return provider;
  }

  @Override
  public void close() throws IOException {
    open = false;
    sidecar.close();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return List.of(root());
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return List.of();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic");
  }

  @Override
  public Path getPath(String first, String... more) {
    return BucketPath.parse(this, first, more);
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    PathMatcher m = java.nio.file.FileSystems.getDefault().getPathMatcher(syntaxAndPattern);
    return p -> m.matches(java.nio.file.Path.of(p.toString()));
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("a bucket snapshot has no users");
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException("a bucket snapshot does not change");
  }
}
