/**
 * How an S3 bucket dataset is frozen and put back: {@link io.holdfast.s3.internal.BucketListing}
 * (the pinned listing as a tree), {@link io.holdfast.s3.internal.KeyNames} (the reversible key to
 * path name scheme), {@link io.holdfast.s3.internal.BucketFileSystem} (a read-only
 * {@code java.nio} view of a listing that streams object versions), and
 * {@link io.holdfast.s3.internal.MetadataSidecar} (the per-dataset object metadata file).
 * Not API: free to change.
 */
package io.holdfast.s3.internal;
