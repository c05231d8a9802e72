package io.holdfast.internal.chunker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judge of the chunker is the real restic: back files up with it, read back the data blob ids
 * it recorded for each file, and require the SHA-256 of our chunks to be the same list. Skipped,
 * loudly, where no {@code restic} is on the PATH.
 */
class ChunkerResticInteropTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MIB = 1024 * 1024;

  private static Path restic;

  @TempDir Path temp;

  @BeforeAll
  static void findRestic() {
    restic = onPath("restic").orElse(null);
    if (restic == null) {
      System.err.println(
          "WARNING: no restic binary on PATH; skipping the chunker's interop test against restic");
    }
  }

  @BeforeEach
  void requireRestic() {
    Assumptions.assumeTrue(
        restic != null, "the restic binary is not on PATH; the interop test needs it");
  }

  @Test
  void chunkBoundariesAreResticsForTheRepositoryPolynomial() throws Exception {
    Path repo = temp.resolve("repo");
    Path data = Files.createDirectories(temp.resolve("data"));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("random.bin", ChunkerTest.randomBytes(1, 20 * MIB + 12345));
    files.put("periodic.bin", periodic(ChunkerTest.randomBytes(2, 4096), 20 * MIB + 100));
    files.put("text.log", logLines(9 * MIB));
    files.put("zeros.bin", new byte[3 * MIB + 1]);
    files.put("small.bin", ChunkerTest.randomBytes(3, 1000));
    files.put("empty.bin", new byte[0]);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(data.resolve(file.getKey()), file.getValue());
    }

    run(temp, "init", "--repo", repo.toString());
    String config = run(temp, "-r", repo.toString(), "cat", "config");
    long polynomial = Polynomial.fromHex(JSON.readTree(config).get("chunker_polynomial").asText());
    Chunker chunker = new Chunker(polynomial);

    run(data, "-r", repo.toString(), "backup", ".");
    String snapshotId =
        JSON.readTree(run(temp, "-r", repo.toString(), "snapshots", "--json")).get(0).get("id")
            .asText();
    String treeId =
        JSON.readTree(run(temp, "-r", repo.toString(), "cat", "snapshot", snapshotId)).get("tree")
            .asText();
    Map<String, List<String>> resticContent = new LinkedHashMap<>();
    collectContent(repo, treeId, resticContent);

    System.err.println("restic repository polynomial: " + Polynomial.toHex(polynomial));
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      List<byte[]> chunks = ChunkerTest.chunk(chunker, file.getValue());
      assertThat(sha256Hex(chunks))
          .as("blob ids of %s, our chunk lengths %s", file.getKey(),
              chunks.stream().map(c -> c.length).toList())
          .isEqualTo(resticContent.get(file.getKey()));
    }
  }

  /** Walks a tree recursively, recording each file node's content blob ids by name. */
  private void collectContent(Path repo, String treeId, Map<String, List<String>> content)
      throws IOException, InterruptedException {
    JsonNode tree = JSON.readTree(run(temp, "-r", repo.toString(), "cat", "blob", treeId));
    for (JsonNode node : tree.get("nodes")) {
      String type = node.get("type").asText();
      if (type.equals("dir")) {
        collectContent(repo, node.get("subtree").asText(), content);
      } else if (type.equals("file")) {
        List<String> ids = new ArrayList<>();
        JsonNode blobs = node.get("content");
        if (blobs != null) {
          blobs.forEach(id -> ids.add(id.asText()));
        }
        content.put(node.get("name").asText(), ids);
      }
    }
  }

  /** Runs restic and returns its standard output; fails the test with its stderr if it fails. */
  private String run(Path workingDirectory, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(restic.toString(), "--no-cache", "--quiet"));
    command.addAll(List.of(args));
    File stderr = Files.createTempFile(temp, "restic", ".err").toFile();
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectError(stderr);
    builder.environment().put("RESTIC_PASSWORD", "x");
    Process process = builder.start();
    process.getOutputStream().close();
    String stdout;
    try (InputStream out = process.getInputStream()) {
      stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("restic " + String.join(" ", args) + " did not finish");
    }
    assertThat(process.exitValue())
        .as("exit code of %s; stderr: %s", command, Files.readString(stderr.toPath()))
        .isZero();
    return stdout;
  }

  private static List<String> sha256Hex(List<byte[]> chunks) throws NoSuchAlgorithmException {
    List<String> ids = new ArrayList<>();
    for (byte[] chunk : chunks) {
      ids.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chunk)));
    }
    return ids;
  }

  private static byte[] periodic(byte[] block, int length) {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i += block.length) {
      System.arraycopy(block, 0, data, i, Math.min(block.length, length - i));
    }
    return data;
  }

  /** Compressible text with natural cut points: numbered log lines. */
  private static byte[] logLines(int approximateLength) {
    StringBuilder text = new StringBuilder(approximateLength + 100);
    for (long line = 0; text.length() < approximateLength; line++) {
      text.append("2024-01-01T00:00:").append(line % 60).append(" INFO request ").append(line)
          .append(" served in ").append(line * 7919 % 1000).append(" ms\n");
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
