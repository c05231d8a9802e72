package io.holdfast.internal.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.IntegrityException;
import io.holdfast.RepositoryFormatException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * The keys that encrypt and authenticate a repository: a 32-byte AES-256 key for AES-CTR and the
 * two 16-byte halves {@code k} (an AES-128 key) and {@code r} of a Poly1305-AES key.
 *
 * <p>An encrypted object is {@code IV || AES-256-CTR(plaintext) || Poly1305-AES(ciphertext)}, with
 * a fresh random 16-byte IV that is both the initial counter block and the Poly1305 nonce; it is
 * {@link #OVERHEAD} bytes longer than its plaintext. {@link #decrypt} checks the MAC before it
 * decrypts anything and never returns bytes whose MAC failed.
 *
 * <p>Immutable and safe for use by many threads at once. {@link #toString} never shows key
 * material; {@link #toJson} does, in restic's master key JSON, and is meant only for encrypting
 * into a key file.
 */
public final class MasterKey {
  /** Bytes an encrypted object adds to its plaintext: 16 of IV and 16 of MAC. */
  public static final int OVERHEAD = 32;

  static final int IV_LENGTH = 16;
  static final int MAC_LENGTH = 16;
  static final int ENCRYPT_KEY_LENGTH = 32;
  static final int MAC_KEY_PART_LENGTH = 16;

  private static final int CTR_SLICE = 16 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom IV_SOURCE = new SecureRandom();
  // Cipher.getInstance costs a provider lookup; a cipher per thread is re-initialised per object.
  private static final ThreadLocal<Cipher> CTR = ThreadLocal.withInitial(MasterKey::newCtrCipher);
  private static final ThreadLocal<Poly1305> POLY1305 =
      ThreadLocal.withInitial(() -> new Poly1305(AESEngine.newInstance()));

  private final byte[] encrypt;
  private final byte[] macK;
  private final byte[] macR;
  private final SecretKeySpec aesKey;
  // Bouncy Castle's Poly1305(BlockCipher) takes one 32-byte key laid out r || k, the reverse of the
  // k-then-r order restic derives from a password, and clamps r itself (true of 1.81, pinned by
  // the known-answer tests); r is clamped here as well so that no release can change the result.
  private final byte[] polyKey;

  MasterKey(byte[] encrypt, byte[] macK, byte[] macR) {
    requireLength(encrypt, ENCRYPT_KEY_LENGTH, "encrypt");
    requireLength(macK, MAC_KEY_PART_LENGTH, "mac.k");
    requireLength(macR, MAC_KEY_PART_LENGTH, "mac.r");
    this.encrypt = encrypt.clone();
    this.macK = macK.clone();
    this.macR = macR.clone();
    this.aesKey = new SecretKeySpec(this.encrypt, "AES");
    this.polyKey = new byte[2 * MAC_KEY_PART_LENGTH];
    System.arraycopy(clamp(macR), 0, polyKey, 0, MAC_KEY_PART_LENGTH);
    System.arraycopy(macK, 0, polyKey, MAC_KEY_PART_LENGTH, MAC_KEY_PART_LENGTH);
  }

  /** A new key from {@code rnd}, with {@code r} stored clamped as restic stores it. */
  public static MasterKey random(SecureRandom rnd) {
    byte[] encrypt = new byte[ENCRYPT_KEY_LENGTH];
    byte[] macK = new byte[MAC_KEY_PART_LENGTH];
    byte[] macR = new byte[MAC_KEY_PART_LENGTH];
    rnd.nextBytes(encrypt);
    rnd.nextBytes(macK);
    rnd.nextBytes(macR);
    return new MasterKey(encrypt, macK, clamp(macR));
  }

  /** Encrypts {@code plaintext} under a new random IV; returns {@code IV || ciphertext || MAC}. */
  public byte[] encrypt(byte[] plaintext) {
    return encrypt(plaintext, 0, plaintext.length);
  }

  /**
   * Encrypts {@code len} bytes of {@code plaintext} from {@code off}; see {@link #encrypt(byte[])}.
   */
  public byte[] encrypt(byte[] plaintext, int off, int len) {
    byte[] iv = new byte[IV_LENGTH];
    IV_SOURCE.nextBytes(iv);
    return encrypt(iv, plaintext, off, len);
  }

  /** Encrypts under a given IV; for key files, whose IV comes from the caller's random source. */
  /**
   * Encrypts {@code plaintext[off, off+len)} into {@code out} at {@code outOff} as IV || ciphertext
   * || MAC, with a new IV; {@code out} needs {@code len + OVERHEAD} bytes there. Returns the number
   * of bytes written. Saves a copy where the object goes straight into a larger buffer (a pack).
   */
  public int encryptInto(byte[] plaintext, int off, int len, byte[] out, int outOff) {
    Objects.checkFromIndexSize(off, len, plaintext.length);
    Objects.checkFromIndexSize(outOff, len + OVERHEAD, out.length);
    byte[] iv = new byte[IV_LENGTH];
    IV_SOURCE.nextBytes(iv);
    System.arraycopy(iv, 0, out, outOff, IV_LENGTH);
    ctr(Cipher.ENCRYPT_MODE, iv, plaintext, off, len, out, outOff + IV_LENGTH);
    mac(iv, out, outOff + IV_LENGTH, len, out, outOff + IV_LENGTH + len);
    return len + OVERHEAD;
  }

  byte[] encrypt(byte[] iv, byte[] plaintext, int off, int len) {
    requireLength(iv, IV_LENGTH, "IV");
    Objects.checkFromIndexSize(off, len, plaintext.length);
    byte[] object = new byte[len + OVERHEAD];
    System.arraycopy(iv, 0, object, 0, IV_LENGTH);
    ctr(Cipher.ENCRYPT_MODE, iv, plaintext, off, len, object, IV_LENGTH);
    mac(iv, object, IV_LENGTH, len, object, IV_LENGTH + len);
    return object;
  }

  /**
   * Checks the MAC of {@code object} ({@code IV || ciphertext || MAC}) and returns its plaintext.
   *
   * @throws IntegrityException if the MAC does not match or the object is shorter than {@link
   *     #OVERHEAD}
   */
  public byte[] decrypt(byte[] object) {
    return decrypt(object, 0, object.length);
  }

  /**
   * Decrypts the object in the {@code len} bytes of {@code object} from {@code off}; see {@link
   * #decrypt(byte[])}.
   */
  public byte[] decrypt(byte[] object, int off, int len) {
    Objects.checkFromIndexSize(off, len, object.length);
    if (len < OVERHEAD) {
      throw new IntegrityException(
          "MAC mismatch: an encrypted object of " + len + " bytes is shorter than IV and MAC");
    }
    int ciphertextLength = len - OVERHEAD;
    byte[] iv = Arrays.copyOfRange(object, off, off + IV_LENGTH);
    byte[] expected = new byte[MAC_LENGTH];
    mac(iv, object, off + IV_LENGTH, ciphertextLength, expected, 0);
    byte[] actual = Arrays.copyOfRange(object, off + IV_LENGTH + ciphertextLength, off + len);
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new IntegrityException(
          "MAC mismatch: the object is damaged or was encrypted with another key");
    }
    byte[] plaintext = new byte[ciphertextLength];
    ctr(Cipher.DECRYPT_MODE, iv, object, off + IV_LENGTH, ciphertextLength, plaintext, 0);
    return plaintext;
  }

  /**
   * This key in restic's master key JSON: {@code {"mac":{"k":..,"r":..},"encrypt":..}}, each value
   * base64. The caller owns the returned array and should overwrite it once it is encrypted.
   */
  public byte[] toJson() {
    Base64.Encoder base64 = Base64.getEncoder();
    ObjectNode root = JSON.createObjectNode();
    ObjectNode mac = root.putObject("mac");
    mac.put("k", base64.encodeToString(macK));
    mac.put("r", base64.encodeToString(macR));
    root.put("encrypt", base64.encodeToString(encrypt));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write master key JSON", e);
    }
  }

  /**
   * Reads restic's master key JSON, as {@link #toJson} writes it.
   *
   * @throws RepositoryFormatException if the JSON is malformed or a key has the wrong length; the
   *     message never quotes the input, which is secret
   */
  public static MasterKey fromJson(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      // The parser's message may quote tokens of the input, so it is not passed on.
      throw new RepositoryFormatException("master key JSON is malformed");
    }
    if (root == null || !root.isObject()) {
      throw new RepositoryFormatException("master key JSON is not an object");
    }
    JsonNode mac = root.path("mac");
    return new MasterKey(
        JsonFields.base64(root, "encrypt", ENCRYPT_KEY_LENGTH, "master key JSON"),
        JsonFields.base64(mac, "k", MAC_KEY_PART_LENGTH, "master key JSON mac"),
        JsonFields.base64(mac, "r", MAC_KEY_PART_LENGTH, "master key JSON mac"));
  }

  @Override
  public String toString() {
    return "MasterKey[redacted]";
  }

  private void ctr(int mode, byte[] iv, byte[] in, int inOff, int len, byte[] out, int outOff) {
    Cipher cipher = CTR.get();
    try {
      cipher.init(mode, aesKey, new IvParameterSpec(iv));
      // HotSpot swaps in its AES-CTR intrinsic only where a hot compiled method calls the cipher;
      // one call per megabyte blob never gets hot, so the work is fed in slices (about 10x faster).
      int done = 0;
      while (len - done > CTR_SLICE) {
        done += cipher.update(in, inOff + done, CTR_SLICE, out, outOff + done);
      }
      done += cipher.doFinal(in, inOff + done, len - done, out, outOff + done);
      if (done != len) {
        throw new IllegalStateException("AES-CTR returned " + done + " of " + len + " bytes");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR failed", e);
    }
  }

  private void mac(byte[] iv, byte[] in, int inOff, int len, byte[] out, int outOff) {
    Poly1305 poly1305 = POLY1305.get();
    poly1305.init(new ParametersWithIV(new KeyParameter(polyKey), iv));
    poly1305.update(in, inOff, len);
    poly1305.doFinal(out, outOff);
  }

  /** Clears the bits of {@code r} that Poly1305 requires to be zero; returns a new array. */
  static byte[] clamp(byte[] r) {
    byte[] clamped = r.clone();
    for (int i = 3; i < 16; i += 4) {
      clamped[i] &= 0x0f;
    }
    for (int i = 4; i < 16; i += 4) {
      clamped[i] &= (byte) 0xfc;
    }
    return clamped;
  }

  private static void requireLength(byte[] bytes, int length, String what) {
    if (bytes.length != length) {
      throw new IllegalArgumentException(
          what + " must be " + length + " bytes, not " + bytes.length);
    }
  }

  private static Cipher newCtrCipher() {
    try {
      return Cipher.getInstance("AES/CTR/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the Java platform lacks AES/CTR/NoPadding", e);
    }
  }
}
