package io.holdfast.internal.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the hash that names every file and blob of a repository, and the lowercase hex those
 * names are written in. Stateless and thread-safe.
 */
public final class Sha256 {
  private static final HexFormat HEX = HexFormat.of();
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(Sha256::newDigest);

  private Sha256() {}

  /** The SHA-256 of the concatenation of {@code parts}. */
  public static byte[] sha256(byte[]... parts) {
    MessageDigest digest = DIGEST.get();
    digest.reset();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  /** Lowercase hexadecimal, two digits a byte. */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /**
   * The bytes {@code hex} spells, in either case.
   *
   * @throws IllegalArgumentException if {@code hex} has odd length or a non-hex character
   */
  public static byte[] unhex(String hex) {
    return HEX.parseHex(hex);
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
