package io.holdfast.internal.repo;

/**
 * Where a blob is stored: its pack, the offset and stored length of its encrypted form, and the
 * length of its plaintext when compressed (0 when not).
 */
public record PackedBlob(BlobType type, Id id, Id pack, long offset, int length, int uncompressedLength) {
  public boolean compressed() {
    return uncompressedLength > 0;
  }

  /** The plaintext length: the uncompressed length, or the stored length minus the crypto overhead. */
  public int plaintextLength() {
    return compressed() ? uncompressedLength : length - io.holdfast.internal.crypto.MasterKey.OVERHEAD;
  }
}
