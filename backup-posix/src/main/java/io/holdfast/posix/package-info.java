/**
 * Holdfast on a POSIX host: the local-directory {@link io.holdfast.posix.LocalBlobStore}, directory
 * datasets, gates, and snapshot providers that freeze a dataset with the system's tools (btrfs,
 * reflink copies, LVM, ZFS) through a {@link io.holdfast.posix.CommandRunner}.
 */
package io.holdfast.posix;
