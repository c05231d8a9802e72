/**
 * restic's encryption, as its {@code doc/design.rst} specifies it ("Repository Format" and "Keys,
 * Encryption and MAC").
 *
 * <ul>
 *   <li>Every file of a repository except the key files is an encrypted object {@code IV ||
 *       AES-256-CTR(plaintext) || Poly1305-AES(ciphertext)}: a random 16-byte IV that is both the
 *       initial 128-bit big-endian counter block and the Poly1305 nonce, then the ciphertext, then
 *       a 16-byte MAC over the ciphertext alone. {@link io.holdfast.internal.crypto.MasterKey}
 *       holds the three keys (AES-256 {@code encrypt}, Poly1305 {@code k} and {@code r}) and does
 *       both directions.
 *   <li>Files under {@code keys/} are plaintext JSON, each a {@link
 *       io.holdfast.internal.crypto.KeyFile}: scrypt parameters, a salt and the master key JSON
 *       {@code {"mac":{"k":..,"r":..},"encrypt":..}} encrypted under a key scrypt derives from a
 *       password. Each password of a repository has its own key file; all wrap the same master key.
 *   <li>Every file other than {@code config} is named by the lowercase hex {@link
 *       io.holdfast.internal.crypto.Sha256} of its stored bytes.
 * </ul>
 */
package io.holdfast.internal.crypto;
