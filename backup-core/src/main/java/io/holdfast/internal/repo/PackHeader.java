package io.holdfast.internal.repo;

import io.holdfast.IntegrityException;
import io.holdfast.internal.crypto.MasterKey;
import java.util.ArrayList;
import java.util.List;

/** Reads the header at the end of a pack: what blobs it holds and where. */
public final class PackHeader {
  private PackHeader() {}

  /** Parses the blobs listed in the decrypted header of pack {@code packId}. */
  static List<PackedBlob> parse(Id packId, byte[] header, int version) {
    List<PackedBlob> blobs = new ArrayList<>();
    long offset = 0;
    int p = 0;
    while (p < header.length) {
      int t = header[p++] & 0xff;
      boolean compressed = (t & 2) != 0;
      if (t > 3 || (compressed && version < 2)) {
        throw new IntegrityException("pack " + packId.shortHex() + ": invalid blob type " + t + " in header");
      }
      int need = 4 + (compressed ? 4 : 0) + Id.SIZE;
      if (header.length - p < need) {
        throw new IntegrityException("pack " + packId.shortHex() + ": truncated header entry");
      }
      int length = PackWriter.getLe32(header, p);
      p += 4;
      int uncompressed = 0;
      if (compressed) {
        uncompressed = PackWriter.getLe32(header, p);
        p += 4;
      }
      Id id = Id.of(header, p);
      p += Id.SIZE;
      if (length < MasterKey.OVERHEAD) {
        throw new IntegrityException("pack " + packId.shortHex() + ": blob " + id.shortHex() + " has impossible length " + length);
      }
      blobs.add(new PackedBlob((t & 1) == 1 ? BlobType.TREE : BlobType.DATA, id, packId, offset, length, uncompressed));
      offset += length;
    }
    return blobs;
  }

  /**
   * Reads a whole pack's header given its bytes from the end: {@code tail} holds the last bytes of
   * the pack (at least the header and its length field), {@code packSize} is the pack's size.
   */
  public static List<PackedBlob> read(Id packId, byte[] tail, long packSize, MasterKey key, int version) {
    if (tail.length < 4) {
      throw new IntegrityException("pack " + packId.shortHex() + ": too short for a header");
    }
    int headerLen = PackWriter.getLe32(tail, tail.length - 4);
    if (headerLen < MasterKey.OVERHEAD || headerLen > tail.length - 4 || headerLen > packSize - 4) {
      throw new IntegrityException("pack " + packId.shortHex() + ": header length " + headerLen + " out of range");
    }
    byte[] header = key.decrypt(tail, tail.length - 4 - headerLen, headerLen);
    List<PackedBlob> blobs = parse(packId, header, version);
    long end = blobs.isEmpty() ? 0 : blobs.get(blobs.size() - 1).offset() + blobs.get(blobs.size() - 1).length();
    if (end + headerLen + 4 != packSize) {
      throw new IntegrityException("pack " + packId.shortHex() + ": header describes " + (end + headerLen + 4)
          + " bytes but the pack has " + packSize);
    }
    return blobs;
  }
}
