package io.holdfast.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real restic is the judge: repositories it makes must open here, and key files and objects
 * made here must open in it. Skipped, with a warning, where no {@code restic} is on the PATH.
 */
class ResticInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static Path restic;

  /** restic init takes seconds (it calibrates scrypt), so tests share one and copy it. */
  @TempDir static Path template;

  @TempDir Path repo;

  @BeforeAll
  static void findResticAndInitARepository() throws Exception {
    Optional<Path> found =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .map(dir -> Path.of(dir, "restic"))
            .filter(Files::isExecutable)
            .findFirst();
    if (found.isEmpty()) {
      System.err.println("WARNING: restic binary not found on PATH; restic interop tests skipped");
    }
    Assumptions.assumeTrue(found.isPresent(), "restic binary not found on PATH");
    restic = found.get();
    restic("secret", "init", "--repo", template.resolve("repo").toString());
  }

  @BeforeEach
  void copyRepository() throws IOException {
    Path source = template.resolve("repo");
    try (Stream<Path> tree = Files.walk(source)) {
      for (Path path : (Iterable<Path>) tree::iterator) {
        Path target = repo.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  @Test
  void resticsKeyFileOpensAndItsMasterKeyDecryptsTheConfig() throws Exception {
    MasterKey masterKey = openOnlyKey("secret");

    JsonNode config = JSON.readTree(masterKey.decrypt(Files.readAllBytes(repo.resolve("config"))));

    assertThat(config.get("version").intValue()).isEqualTo(2);
    assertThat(config.get("id").textValue()).hasSize(64);
  }

  @Test
  void openedMasterKeyIsTheOneResticPrints() throws Exception {
    MasterKey masterKey = openOnlyKey("secret");

    String printed = restic("secret", "-r", repo.toString(), "cat", "masterkey");

    assertThat(JSON.readTree(masterKey.toJson())).isEqualTo(JSON.readTree(printed));
  }

  @Test
  void resticOpensAKeyFileMadeHere() throws Exception {
    MasterKey masterKey = openOnlyKey("secret");
    KeyFile added =
        KeyFile.create(
            masterKey,
            "other".toCharArray(),
            ScryptParams.DEFAULT,
            "holdfast-host",
            "holdfast-user",
            ZonedDateTime.now(),
            RANDOM);
    byte[] json = added.toJson();
    Files.write(repo.resolve("keys").resolve(Sha256.hex(Sha256.sha256(json))), json);

    String config = restic("other", "-r", repo.toString(), "cat", "config");
    JsonNode keys = JSON.readTree(restic("other", "-r", repo.toString(), "key", "list", "--json"));

    assertThat(JSON.readTree(config).get("version").intValue()).isEqualTo(2);
    assertThat(keys).hasSize(2);
    assertThat(keys.findValuesAsText("hostName")).contains("holdfast-host");
    assertThat(keys.findValuesAsText("userName")).contains("holdfast-user");
  }

  @Test
  void resticReadsAConfigEncryptedHere() throws Exception {
    MasterKey masterKey = openOnlyKey("secret");
    Path config = repo.resolve("config");
    byte[] original = Files.readAllBytes(config);
    byte[] plaintext = masterKey.decrypt(original);
    byte[] reencrypted = masterKey.encrypt(plaintext);
    Files.delete(config);
    Files.write(config, reencrypted);

    String printed = restic("secret", "-r", repo.toString(), "cat", "config");

    assertThat(reencrypted).isNotEqualTo(original);
    assertThat(JSON.readTree(printed)).isEqualTo(JSON.readTree(plaintext));
  }

  private MasterKey openOnlyKey(String password) throws IOException {
    List<Path> keys;
    try (Stream<Path> listing = Files.list(repo.resolve("keys"))) {
      keys = listing.toList();
    }
    assertThat(keys).hasSize(1);
    Path keyPath = keys.get(0);
    KeyFile keyFile = KeyFile.parse(Files.readAllBytes(keyPath), keyPath.getFileName().toString());
    return keyFile.open(password.toCharArray());
  }

  /** Runs restic without a cache and returns its standard output; fails on a non-zero exit. */
  private static String restic(String password, String... args) throws Exception {
    ProcessBuilder builder = new ProcessBuilder();
    builder.command().add(restic.toString());
    builder.command().add("--no-cache");
    builder.command().addAll(List.of(args));
    builder.environment().put("RESTIC_PASSWORD", password);
    Path stderr = Files.createTempFile("restic", ".err");
    builder.redirectError(stderr.toFile());
    Process process = builder.start();
    process.getOutputStream().close();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("restic finished in time").isTrue();
    String errors = Files.readString(stderr);
    Files.delete(stderr);
    assertThat(process.exitValue())
        .as("restic %s exit status; stderr:%n%s", List.of(args), errors)
        .isZero();
    return stdout;
  }
}
