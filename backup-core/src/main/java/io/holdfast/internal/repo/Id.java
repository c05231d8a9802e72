package io.holdfast.internal.repo;

import io.holdfast.RepositoryFormatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte SHA-256 identifier of a blob or a repository file; immutable, ordered by bytes. */
public final class Id implements Comparable<Id> {
  public static final int SIZE = 32;
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;
  private final int hash;

  private Id(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** Wraps a copy of 32 raw bytes. */
  public static Id of(byte[] raw) {
    return of(raw, 0);
  }

  /** Wraps a copy of 32 raw bytes starting at {@code off}. */
  public static Id of(byte[] raw, int off) {
    if (raw.length - off < SIZE) {
      throw new IllegalArgumentException("an id needs " + SIZE + " bytes, got " + (raw.length - off));
    }
    return new Id(Arrays.copyOfRange(raw, off, off + SIZE));
  }

  /** Parses 64 lowercase or uppercase hex digits. */
  public static Id parse(String hex) {
    if (hex == null || hex.length() != 2 * SIZE) {
      throw new RepositoryFormatException("not a 64-digit hex id: " + hex);
    }
    try {
      return new Id(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new RepositoryFormatException("not a 64-digit hex id: " + hex, e);
    }
  }

  /** True when {@code s} is 64 hex digits. */
  public static boolean isId(String s) {
    if (s.length() != 2 * SIZE) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** SHA-256 of {@code data[off, off+len)}. */
  public static Id hash(byte[] data, int off, int len) {
    MessageDigest md = DIGESTS.get();
    md.update(data, off, len);
    return new Id(md.digest()); // digest() also resets it for the next use
  }

  public static Id hash(byte[] data) {
    return hash(data, 0, data.length);
  }

  // One digest per thread: this runs for every chunk, and getInstance is a provider lookup.
  private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(Id::sha256);

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Copy of the raw bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  void copyTo(byte[] dst, int off) {
    System.arraycopy(bytes, 0, dst, off, SIZE);
  }

  public String hex() {
    return HEX.formatHex(bytes);
  }

  /** The first 8 hex digits, as restic shows short ids. */
  public String shortHex() {
    return hex().substring(0, 8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Id other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Id o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
