/**
 * Checking a repository (DESIGN.md section 6, "verify"): {@link
 * io.holdfast.internal.checker.StructureChecker} finds what is missing or inconsistent without
 * reading file contents; {@link io.holdfast.internal.checker.DataChecker} re-reads packs (each
 * pack's hash, every blob decrypted and hashed, header against index), streamed and in parallel;
 * {@link io.holdfast.internal.checker.DamageTracer} traces lost blobs to the snapshots and paths
 * that need them; {@link io.holdfast.internal.checker.Verifier} runs the three for {@code
 * BackupEngine.verify}, the data check first, so that the trees it verified ({@code VerifiedTrees},
 * bounded) need not be fetched again by the structure walk. A blob the index lists in two packs
 * ({@code BlobPlaces}) is lost only if neither holds a sound copy. Host validators will build on
 * these.
 */
package io.holdfast.internal.checker;
