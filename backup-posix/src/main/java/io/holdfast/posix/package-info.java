/**
 * Holdfast on a POSIX host: the local-directory {@link io.holdfast.posix.LocalBlobStore}, directory
 * datasets, snapshot providers that freeze a dataset with the system's tools (btrfs, reflink copies,
 * LVM, ZFS), and gates.
 *
 * <p>Gates: {@link io.holdfast.posix.CallbackGate} (in-process callbacks),
 * {@link io.holdfast.posix.CommandGate} (a hold and a resume command),
 * {@link io.holdfast.posix.SystemdGate} (stop and start a unit) and
 * {@link io.holdfast.posix.FsfreezeGate} (freeze a filesystem). Providers and gates that act outside
 * the JVM run their tools through a {@link io.holdfast.posix.CommandRunner}; the fsfreeze gate also
 * leaves a detached watchdog that thaws the filesystem if the JVM dies while it holds.
 */
package io.holdfast.posix;
