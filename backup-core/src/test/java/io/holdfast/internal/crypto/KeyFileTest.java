package io.holdfast.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.RepositoryFormatException;
import io.holdfast.WrongPasswordException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyFileTest {
  /** Cheap parameters so that tests do not spend their time in scrypt. */
  static final ScryptParams FAST = new ScryptParams(1024, 8, 1);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ZonedDateTime CREATED =
      ZonedDateTime.of(2015, 1, 2, 18, 10, 13, 483_071_960, ZoneOffset.ofHours(1));

  /** A repository made by restic 0.14 with the password "secret". */
  private static final String FIXTURE = "restic-0.14/";

  private static final String FIXTURE_KEY =
      "8ae1fb32d000b5259df3efff931816f599a7e7526e13fc1ea89cdcd4dd907564";

  /** Base64 of 33 zero bytes: long enough to be an encrypted object. */
  private static final String DATA_32 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  private final MasterKey masterKey = MasterKey.random(RANDOM);

  @Test
  void openWithTheRightPasswordReturnsTheWrappedMasterKey() {
    KeyFile keyFile = create("correct horse");

    MasterKey opened = keyFile.open("correct horse".toCharArray());

    assertThat(opened.toJson()).isEqualTo(masterKey.toJson());
  }

  @Test
  void openWithAWrongPasswordThrowsWithoutRevealingThePassword() {
    KeyFile keyFile = create("correct horse");

    assertThatThrownBy(() -> keyFile.open("battery staple".toCharArray()))
        .isInstanceOf(WrongPasswordException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("battery", "staple", "horse"));
  }

  @Test
  void openLeavesThePasswordArrayAlone() {
    char[] password = "pässwörd ☃".toCharArray();
    KeyFile keyFile = create(new String(password));

    keyFile.open(password);

    assertThat(password).containsExactly("pässwörd ☃".toCharArray());
  }

  @Test
  void parseReadsBackWhatCreateWrote() {
    KeyFile created = create("pw");
    byte[] json = created.toJson();

    KeyFile parsed = KeyFile.parse(json, Sha256.hex(Sha256.sha256(json)));

    assertThat(parsed.toJson()).isEqualTo(json);
    assertThat(parsed.hostname()).isEqualTo("kasimir");
    assertThat(parsed.username()).isEqualTo("fd0");
    assertThat(parsed.created()).isEqualTo(CREATED);
    assertThat(parsed.params()).isEqualTo(FAST);
    assertThat(parsed.open("pw".toCharArray()).toJson()).isEqualTo(masterKey.toJson());
  }

  @Test
  void createWritesResticsFieldsInResticsOrder() throws IOException {
    JsonNode root = JSON.readTree(create("pw").toJson());

    List<String> names = new ArrayList<>();
    root.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly("created", "username", "hostname", "kdf", "N", "r", "p", "salt", "data");
    assertThat(root.get("created").textValue()).isEqualTo("2015-01-02T18:10:13.48307196+01:00");
    assertThat(root.get("kdf").textValue()).isEqualTo("scrypt");
    assertThat(root.get("N").intValue()).isEqualTo(1024);
    assertThat(Base64.getDecoder().decode(root.get("salt").textValue())).hasSize(64);
    assertThat(Base64.getDecoder().decode(root.get("data").textValue()))
        .hasSize(masterKey.toJson().length + MasterKey.OVERHEAD);
  }

  @Test
  void twoKeyFilesForTheSamePasswordDifferInSalt() {
    assertThat(create("pw").toJson()).isNotEqualTo(create("pw").toJson());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[]",
        "{}",
        "{\"created\":\"2015-01-02T18:10:13Z\",\"kdf\":\"argon2\",\"N\":1024,\"r\":8,\"p\":1,"
            + "\"salt\":\"AAAA\",\"data\":\""
            + DATA_32
            + "\"}",
        "{\"created\":\"2015-01-02T18:10:13Z\",\"kdf\":\"scrypt\",\"N\":1000,\"r\":8,\"p\":1,"
            + "\"salt\":\"AAAA\",\"data\":\""
            + DATA_32
            + "\"}",
        "{\"created\":\"2015-01-02T18:10:13Z\",\"kdf\":\"scrypt\",\"N\":\"1024\",\"r\":8,\"p\":1,"
            + "\"salt\":\"AAAA\",\"data\":\""
            + DATA_32
            + "\"}",
        "{\"created\":\"yesterday\",\"kdf\":\"scrypt\",\"N\":1024,\"r\":8,\"p\":1,"
            + "\"salt\":\"AAAA\",\"data\":\""
            + DATA_32
            + "\"}",
        "{\"created\":\"2015-01-02T18:10:13Z\",\"kdf\":\"scrypt\",\"N\":1024,\"r\":8,\"p\":1,"
            + "\"data\":\""
            + DATA_32
            + "\"}",
        "{\"created\":\"2015-01-02T18:10:13Z\",\"kdf\":\"scrypt\",\"N\":1024,\"r\":8,\"p\":1,"
            + "\"salt\":\"AAAA\",\"data\":\"AAAA\"}",
        "{\"created\":\"2015-01-02T18:10:13Z\",\"kdf\":\"scrypt\",\"N\":1024,\"r\":8,\"p\":1,"
            + "\"salt\":\"AAAA\",\"data\":\"%%%%\"}",
      })
  void parseRefusesAMalformedKeyFileNamingIt(String json) {
    assertThatThrownBy(() -> KeyFile.parse(json.getBytes(StandardCharsets.UTF_8), "keys/abc123"))
        .isInstanceOf(RepositoryFormatException.class)
        .hasMessageContaining("keys/abc123");
  }

  @Test
  void parseAcceptsAKeyFileWithoutHostAndUser() {
    String json =
        "{\"created\":\"2015-01-02T18:10:13Z\",\"kdf\":\"scrypt\",\"N\":1024,\"r\":8,\"p\":1,"
            + "\"salt\":\"AAAA\",\"data\":\""
            + DATA_32
            + "\",\"hostname\":null}";

    KeyFile keyFile = KeyFile.parse(json.getBytes(StandardCharsets.UTF_8), "k");

    assertThat(keyFile.hostname()).isEmpty();
    assertThat(keyFile.username()).isEmpty();
  }

  @Test
  void openingAKeyFileMadeByResticGivesResticsMasterKey() throws IOException {
    byte[] json = fixture("keys/" + FIXTURE_KEY);

    KeyFile keyFile = KeyFile.parse(json, FIXTURE_KEY);
    MasterKey opened = keyFile.open("secret".toCharArray());

    assertThat(Sha256.hex(Sha256.sha256(keyFile.toJson()))).isEqualTo(FIXTURE_KEY);
    assertThat(keyFile.params()).isEqualTo(new ScryptParams(32768, 8, 4));
    assertThat(JSON.readTree(opened.toJson())).isEqualTo(JSON.readTree(fixture("masterkey.json")));
  }

  @Test
  void resticsMasterKeyDecryptsResticsConfig() throws IOException {
    MasterKey opened = MasterKey.fromJson(fixture("masterkey.json"));

    JsonNode config = JSON.readTree(opened.decrypt(fixture("config")));

    assertThat(config).isEqualTo(JSON.readTree(fixture("config.json")));
    assertThat(config.get("version").intValue()).isEqualTo(2);
  }

  @Test
  void resticsKeyFileDoesNotOpenWithAnotherPassword() throws IOException {
    KeyFile keyFile = KeyFile.parse(fixture("keys/" + FIXTURE_KEY), FIXTURE_KEY);

    assertThatThrownBy(() -> keyFile.open("Secret".toCharArray()))
        .isInstanceOf(WrongPasswordException.class)
        .hasMessageContaining(FIXTURE_KEY);
  }

  private KeyFile create(String password) {
    return KeyFile.create(
        masterKey, password.toCharArray(), FAST, "kasimir", "fd0", CREATED, RANDOM);
  }

  private static byte[] fixture(String path) throws IOException {
    try (InputStream in = KeyFileTest.class.getResourceAsStream(FIXTURE + path)) {
      assertThat(in).as("test resource %s", FIXTURE + path).isNotNull();
      return in.readAllBytes();
    }
  }
}
