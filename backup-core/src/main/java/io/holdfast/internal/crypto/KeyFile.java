package io.holdfast.internal.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.IntegrityException;
import io.holdfast.RepositoryFormatException;
import io.holdfast.WrongPasswordException;
import io.holdfast.internal.json.GoTime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * One key file of a repository: the master key, encrypted under a key that scrypt derives from a
 * password. Stored in plaintext JSON under {@code keys/<sha256-hex of toJson()>}:
 *
 * <pre>{@code
 * {"created":"2015-01-02T18:10:13.48307196+01:00","username":"fd0","hostname":"kasimir",
 *  "kdf":"scrypt","N":32768,"r":8,"p":1,"salt":"<base64, 64 bytes>",
 *  "data":"<base64 of the encrypted master key JSON>"}
 * }</pre>
 *
 * <p>scrypt yields 64 bytes: the first 32 are the AES-256 key, the next 16 the Poly1305 {@code k},
 * the last 16 its {@code r}; {@code data} is an encrypted object under those keys (see {@link
 * MasterKey}). A wrong password and a damaged {@code data} look the same: the MAC does not match.
 *
 * <p>Immutable and thread-safe. {@link #toJson} of a parsed key file returns the bytes it was
 * parsed from, so its hash stays the file's name. Passwords are never kept, and the arrays passed
 * in are not modified.
 */
public final class KeyFile {
  static final int SALT_LENGTH = 64;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DERIVED_KEY_LENGTH =
      MasterKey.ENCRYPT_KEY_LENGTH + 2 * MasterKey.MAC_KEY_PART_LENGTH;

  private final String name;
  private final byte[] json;
  private final ZonedDateTime created;
  private final String hostname;
  private final String username;
  private final ScryptParams params;
  private final byte[] salt;
  private final byte[] data;

  private KeyFile(
      String name,
      byte[] json,
      ZonedDateTime created,
      String hostname,
      String username,
      ScryptParams params,
      byte[] salt,
      byte[] data) {
    this.name = name;
    this.json = json;
    this.created = created;
    this.hostname = hostname;
    this.username = username;
    this.params = params;
    this.salt = salt;
    this.data = data;
  }

  /**
   * Encrypts {@code key} under {@code password} with a new random salt from {@code rnd}. Takes as
   * long as scrypt with {@code params} takes.
   */
  public static KeyFile create(
      MasterKey key,
      char[] password,
      ScryptParams params,
      String hostname,
      String username,
      ZonedDateTime created,
      SecureRandom rnd) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(created, "created");
    byte[] salt = new byte[SALT_LENGTH];
    rnd.nextBytes(salt);
    byte[] iv = new byte[MasterKey.IV_LENGTH];
    rnd.nextBytes(iv);

    byte[] plaintext = key.toJson();
    byte[] data;
    try {
      data = derive(password, salt, params).encrypt(iv, plaintext, 0, plaintext.length);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }

    Base64.Encoder base64 = Base64.getEncoder();
    ObjectNode root = JSON.createObjectNode();
    root.put("created", GoTime.format(created));
    root.put("username", username);
    root.put("hostname", hostname);
    root.put("kdf", "scrypt");
    root.put("N", params.n());
    root.put("r", params.r());
    root.put("p", params.p());
    root.put("salt", base64.encodeToString(salt));
    root.put("data", base64.encodeToString(data));
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write key file JSON", e);
    }
    String name = Sha256.hex(Sha256.sha256(json));
    return new KeyFile(name, json, created, hostname, username, params, salt, data);
  }

  /**
   * Parses a key file; {@code fileName} is only for messages.
   *
   * @throws RepositoryFormatException naming {@code fileName} if the JSON is malformed, a field is
   *     missing or out of range, or the KDF is not scrypt
   */
  public static KeyFile parse(byte[] json, String fileName) {
    String where = "key file " + fileName;
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new RepositoryFormatException(where + " is not valid JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new RepositoryFormatException(where + " is not a JSON object");
    }
    String kdf = JsonFields.text(root, "kdf", where);
    if (!kdf.equals("scrypt")) {
      throw new RepositoryFormatException(where + " uses the unknown KDF " + kdf);
    }
    ScryptParams params;
    try {
      params =
          new ScryptParams(
              JsonFields.integer(root, "N", where),
              JsonFields.integer(root, "r", where),
              JsonFields.integer(root, "p", where));
    } catch (IllegalArgumentException e) {
      throw new RepositoryFormatException(where + ": " + e.getMessage(), e);
    }
    ZonedDateTime created;
    try {
      created = GoTime.parse(JsonFields.text(root, "created", where));
    } catch (DateTimeParseException e) {
      throw new RepositoryFormatException(where + ": field created is not an RFC 3339 time", e);
    }
    byte[] salt = JsonFields.base64(root, "salt", where);
    byte[] data = JsonFields.base64(root, "data", where);
    if (data.length < MasterKey.OVERHEAD) {
      throw new RepositoryFormatException(where + ": field data is too short to be encrypted");
    }
    return new KeyFile(
        fileName,
        json.clone(),
        created,
        optionalText(root, "hostname", where),
        optionalText(root, "username", where),
        params,
        salt,
        data);
  }

  /** The bytes to store; the file's name is the lowercase hex SHA-256 of them. */
  public byte[] toJson() {
    return json.clone();
  }

  /**
   * Derives the key from {@code password} and decrypts the master key. Takes as long as scrypt with
   * {@link #params} takes.
   *
   * @throws WrongPasswordException if the MAC does not match: a wrong password or a damaged file
   * @throws RepositoryFormatException if the decrypted master key is malformed
   */
  public MasterKey open(char[] password) {
    Objects.requireNonNull(password, "password");
    byte[] plaintext;
    try {
      plaintext = derive(password, salt, params).decrypt(data);
    } catch (IntegrityException e) {
      throw new WrongPasswordException(
          "the password does not open key file " + name + " (or the file is damaged)");
    }
    try {
      return MasterKey.fromJson(plaintext);
    } catch (RepositoryFormatException e) {
      throw new RepositoryFormatException("key file " + name + ": " + e.getMessage());
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /** Host the key was made on, as the key file says; empty if it says nothing. */
  public String hostname() {
    return hostname;
  }

  /** User the key was made by, as the key file says; empty if it says nothing. */
  public String username() {
    return username;
  }

  /** When the key was made, in the offset the key file gives. */
  public ZonedDateTime created() {
    return created;
  }

  /** The scrypt parameters {@link #open} uses. */
  public ScryptParams params() {
    return params;
  }

  @Override
  public String toString() {
    return "KeyFile["
        + name
        + ", "
        + username
        + "@"
        + hostname
        + ", "
        + GoTime.format(created)
        + ", "
        + params
        + "]";
  }

  private static MasterKey derive(char[] password, byte[] salt, ScryptParams params) {
    byte[] passwordBytes = utf8(password);
    byte[] derived =
        SCrypt.generate(
            passwordBytes, salt, params.n(), params.r(), params.p(), DERIVED_KEY_LENGTH);
    try {
      int macStart = MasterKey.ENCRYPT_KEY_LENGTH;
      int rStart = macStart + MasterKey.MAC_KEY_PART_LENGTH;
      return new MasterKey(
          Arrays.copyOfRange(derived, 0, macStart),
          Arrays.copyOfRange(derived, macStart, rStart),
          Arrays.copyOfRange(derived, rStart, DERIVED_KEY_LENGTH));
    } finally {
      Arrays.fill(passwordBytes, (byte) 0);
      Arrays.fill(derived, (byte) 0);
    }
  }

  private static byte[] utf8(char[] password) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return bytes;
  }

  private static String optionalText(JsonNode root, String name, String where) {
    JsonNode node = root.get(name);
    return node == null || node.isNull() ? "" : JsonFields.text(root, name, where);
  }
}
