package io.holdfast.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.IntegrityException;
import io.holdfast.RepositoryFormatException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MasterKeyTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final MasterKey key = MasterKey.random(RANDOM);

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15, 16, 17, 10 * 1024 * 1024})
  void decryptReturnsWhatEncryptWasGiven(int length) {
    byte[] plaintext = randomBytes(length);

    byte[] object = key.encrypt(plaintext);

    assertThat(object).hasSize(length + MasterKey.OVERHEAD);
    assertThat(key.decrypt(object)).isEqualTo(plaintext);
  }

  @Test
  void encryptAndDecryptHonourOffsetAndLength() {
    byte[] buffer = randomBytes(100);

    byte[] object = key.encrypt(buffer, 10, 50);
    byte[] padded = new byte[object.length + 7];
    System.arraycopy(object, 0, padded, 3, object.length);

    assertThat(key.decrypt(padded, 3, object.length)).isEqualTo(Arrays.copyOfRange(buffer, 10, 60));
  }

  @Test
  void encryptingTheSamePlaintextTwiceGivesDifferentObjects() {
    byte[] plaintext = "same".getBytes(StandardCharsets.UTF_8);

    assertThat(key.encrypt(plaintext)).isNotEqualTo(key.encrypt(plaintext));
  }

  @ParameterizedTest(name = "bit {0}")
  @ValueSource(ints = {0, 127, 128, 128 + 8 * 20, 8 * (16 + 64), 8 * (16 + 64 + 16) - 1})
  void decryptRefusesAnObjectWithAFlippedBit(int bit) {
    // IV (bits 0-127), ciphertext (64 bytes) and MAC (the last 128 bits) each get flipped.
    byte[] object = key.encrypt(randomBytes(64));
    object[bit / 8] ^= (byte) (1 << (bit % 8));

    assertThatThrownBy(() -> key.decrypt(object))
        .isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith("MAC mismatch");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, 31})
  void decryptRefusesAnObjectShorterThanIvAndMac(int length) {
    assertThatThrownBy(() -> key.decrypt(new byte[length]))
        .isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith("MAC mismatch");
  }

  @Test
  void decryptRefusesATruncatedObject() {
    byte[] object = key.encrypt(randomBytes(64));

    assertThatThrownBy(() -> key.decrypt(Arrays.copyOf(object, object.length - 1)))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void decryptRefusesAnObjectEncryptedWithAnotherKey() {
    byte[] object = MasterKey.random(RANDOM).encrypt(randomBytes(64));

    assertThatThrownBy(() -> key.decrypt(object)).isInstanceOf(IntegrityException.class);
  }

  /** Test vectors of D. J. Bernstein, "The Poly1305-AES message-authentication code", 2005. */
  @ParameterizedTest
  @CsvSource({
    "f3f6, ec074c835580741701425b623235add6, 851fc40c3467ac0be05cc20404f3f700,"
        + " fb447350c4e868c52ac3275cf9d4327e, f4c633c3044fc145f84f335cb81953de",
    "'', 75deaa25c09f208e1dc4ce6b5cad3fbf, a0f3080000f46400d0c7e9076c834403,"
        + " 61ee09218d29b0aaed7e154a2c5509cc, dd3fab2251f11ac759f0887129cc2ee7",
    "663cea190ffb83d89593f3f476b6bc24d7e679107ea26adb8caf6652d0656136,"
        + " 6acb5f61a7176dd320c5c1eb2edcdc74, 48443d0bb0d21109c89a100b5ce2c208,"
        + " ae212a55399729595dea458bc621ff0e, 0ee1c16bb73f0f4fd19881753c01cdbe",
    "ab0812724a7f1e342742cbed374d94d136c6b8795d45b3819830f2c04491faf0"
        + "990c62e48b8018b2c3e4a0fa3134cb67fa83e158c994d961c4cb21095c1bf9,"
        + " e1a5668a4d5b66a5f68cc5424ed5982d, 12976a08c4426d0ce8a82407c4f48207,"
        + " 9ae831e743978d3a23527c7128149e3a, 5154ad0d2cb26e01274fc51148491f1b",
  })
  void macIsPoly1305AesOfTheCiphertextWithTheIvAsNonce(
      String message, String k, String r, String nonce, String tag) {
    // The MAC covers the ciphertext, so a vector's message is placed where the ciphertext goes.
    MasterKey vectorKey = new MasterKey(new byte[32], Sha256.unhex(k), Sha256.unhex(r));
    byte[] object = concat(Sha256.unhex(nonce), Sha256.unhex(message), Sha256.unhex(tag));

    assertThat(vectorKey.decrypt(object)).hasSize(message.length() / 2);

    object[object.length - 1] ^= 1;
    assertThatThrownBy(() -> vectorKey.decrypt(object)).isInstanceOf(IntegrityException.class);
  }

  @Test
  void macClampsRWhateverItsStoredBitsAre() {
    byte[] r = Sha256.unhex("851fc40c3467ac0be05cc20404f3f700");
    byte[] unclamped = r.clone();
    for (int i : new int[] {3, 7, 11, 15}) {
      unclamped[i] |= (byte) 0xf0;
    }
    for (int i : new int[] {4, 8, 12}) {
      unclamped[i] |= 0x03;
    }
    MasterKey vectorKey =
        new MasterKey(new byte[32], Sha256.unhex("ec074c835580741701425b623235add6"), unclamped);
    byte[] object =
        concat(
            Sha256.unhex("fb447350c4e868c52ac3275cf9d4327e"),
            Sha256.unhex("f3f6"),
            Sha256.unhex("f4c633c3044fc145f84f335cb81953de"));

    assertThat(vectorKey.decrypt(object)).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0000000000000000fffffffffffffff0",
        "ffffffffffffffffffffffffffffffff",
        "000000000000000000000000fffffffe"
      })
  void counterIsTheIvIncrementedAsOneBigEndian128BitNumber(String iv) throws Exception {
    byte[] encrypt = randomBytes(32);
    MasterKey ctrKey = new MasterKey(encrypt, new byte[16], new byte[16]);
    byte[] plaintext = randomBytes(40 * 16 + 5);
    byte[] expected = referenceCtr(encrypt, Sha256.unhex(iv), plaintext);

    // Enough rounds for the JIT to compile the CTR path with its intrinsics as well.
    for (int round = 0; round < 20_000; round++) {
      byte[] object = ctrKey.encrypt(Sha256.unhex(iv), plaintext, 0, plaintext.length);
      byte[] ciphertext = Arrays.copyOfRange(object, 16, object.length - 16);
      if (!Arrays.equals(ciphertext, expected)) {
        assertThat(ciphertext).as("round %d", round).isEqualTo(expected);
      }
    }
  }

  @Test
  void largeObjectsAreOneUnbrokenCounterStream() throws Exception {
    byte[] encrypt = randomBytes(32);
    byte[] iv = Sha256.unhex("00000000000000000000000000fffff0");
    byte[] plaintext = randomBytes(5 * 16 * 1024 + 7);
    MasterKey ctrKey = new MasterKey(encrypt, new byte[16], new byte[16]);

    byte[] object = ctrKey.encrypt(iv, plaintext, 0, plaintext.length);

    assertThat(Arrays.copyOfRange(object, 16, object.length - 16))
        .isEqualTo(referenceCtr(encrypt, iv, plaintext));
    assertThat(ctrKey.decrypt(object)).isEqualTo(plaintext);
  }

  @Test
  void toJsonWritesResticsMasterKeyLayout() throws Exception {
    byte[] encrypt = randomBytes(32);
    byte[] k = randomBytes(16);
    byte[] r = MasterKey.clamp(randomBytes(16));
    Base64.Encoder base64 = Base64.getEncoder();

    String json = new String(new MasterKey(encrypt, k, r).toJson(), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"mac\":{\"k\":\"%s\",\"r\":\"%s\"},\"encrypt\":\"%s\"}",
            base64.encodeToString(k), base64.encodeToString(r), base64.encodeToString(encrypt));
  }

  @Test
  void fromJsonReadsWhatToJsonWrote() {
    byte[] plaintext = randomBytes(100);

    MasterKey copy = MasterKey.fromJson(key.toJson());

    assertThat(copy.decrypt(key.encrypt(plaintext))).isEqualTo(plaintext);
    assertThat(copy.toJson()).isEqualTo(key.toJson());
  }

  @Test
  void randomKeysStoreRClamped() {
    byte[] r = Base64.getDecoder().decode(rOf(MasterKey.random(RANDOM).toJson()));

    assertThat(MasterKey.clamp(r)).isEqualTo(r);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{\"mac\":{\"k\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"r\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}}",
        "{\"mac\":{\"k\":\"AAAA\",\"r\":\"AAAAAAAAAAAAAAAAAAAAAA==\"},"
            + "\"encrypt\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}",
        "{\"mac\":{\"k\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"r\":\"!!\"},"
            + "\"encrypt\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}",
        "{\"encrypt\": SECRETSECRET"
      })
  void fromJsonRefusesMalformedJsonWithoutQuotingIt(String json) {
    assertThatThrownBy(() -> MasterKey.fromJson(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(RepositoryFormatException.class)
        .hasMessageStartingWith("master key JSON")
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET", "AAAA"));
  }

  @Test
  void toStringShowsNoKeyMaterial() {
    assertThat(key.toString()).isEqualTo("MasterKey[redacted]");
  }

  private static String rOf(byte[] json) {
    String text = new String(json, StandardCharsets.UTF_8);
    int start = text.indexOf("\"r\":\"") + 5;
    return text.substring(start, text.indexOf('"', start));
  }

  private static byte[] referenceCtr(byte[] key, byte[] iv, byte[] plaintext) throws Exception {
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    byte[] counter = iv.clone();
    byte[] out = new byte[plaintext.length];
    for (int block = 0; block * 16 < plaintext.length; block++) {
      byte[] stream = ecb.doFinal(counter);
      for (int i = block * 16; i < Math.min(plaintext.length, block * 16 + 16); i++) {
        out[i] = (byte) (plaintext[i] ^ stream[i - block * 16]);
      }
      for (int i = 15; i >= 0 && ++counter[i] == 0; i--) {
        // carry into the next more significant byte
      }
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  @Test
  void encryptIntoWritesTheSameKindOfObjectInPlace() {
    MasterKey key = MasterKey.random(new java.security.SecureRandom());
    byte[] plain = "in place please".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] out = new byte[7 + plain.length + MasterKey.OVERHEAD + 5];
    int n = key.encryptInto(plain, 0, plain.length, out, 7);
    org.assertj.core.api.Assertions.assertThat(n).isEqualTo(plain.length + MasterKey.OVERHEAD);
    org.assertj.core.api.Assertions.assertThat(key.decrypt(out, 7, n)).isEqualTo(plain);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> key.encryptInto(plain, 0, plain.length, new byte[10], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
