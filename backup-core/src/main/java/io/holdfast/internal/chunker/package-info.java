/**
 * Content-defined chunking exactly as restic does it, so that a repository shared with restic
 * deduplicates across both tools.
 *
 * <p>The repository's {@code config} names a random irreducible polynomial of degree 53 over GF(2)
 * ({@code chunker_polynomial}, lowercase hex). {@link io.holdfast.internal.chunker.Polynomial}
 * draws, checks, parses and formats it; {@link io.holdfast.internal.chunker.Chunker} fingerprints a
 * 64-byte sliding window modulo that polynomial and cuts a stream into chunks of 512 KiB to 8 MiB
 * (about 1 MiB on average). Each chunk's SHA-256 is its data blob id.
 *
 * <p>The polynomial is secret in the sense that chunk boundaries reveal it: a chunk list for known
 * content lets an observer narrow it down. Draw it from a {@link java.security.SecureRandom} and
 * keep it inside the encrypted {@code config}.
 */
package io.holdfast.internal.chunker;
