/**
 * Holdfast on a POSIX host: the local-directory {@link io.holdfast.posix.LocalBlobStore}, and later
 * directory datasets, snapshot providers and gates.
 */
package io.holdfast.posix;
