/** Holdfast on Amazon S3 and S3-compatible stores: the repository's BlobStore, bucket datasets, bucket restore. */
package io.holdfast.s3;
