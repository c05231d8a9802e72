package io.holdfast.s3.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.holdfast.SnapshotException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file {@code .holdfast-s3/metadata.jsonl} of a bucket snapshot: JSON lines, first a
 * {@link Header} (bucket, prefix, whether versions were pinned), then one {@link Line} per object
 * (relative key, path in the tree, version id, ETag, size, time, content type and the other
 * headers, user metadata). It is written to a local temporary file the first time it is looked at,
 * with a HEAD request per object (several in flight, in tree order), so the requests run after the
 * gate's hold for a pinned snapshot; {@link #close()} deletes the file.
 */
public final class MetadataSidecar implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataSidecar.class);
  public static final String FILE_NAME = "metadata.jsonl";
  private static final int IN_FLIGHT = 32;
  private static final ObjectMapper JSON = io.holdfast.internal.repo.Json.mapper();

  /** The first line. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Header(
      @JsonProperty("format") int format,
      @JsonProperty("bucket") String bucket,
      @JsonProperty("prefix") String prefix,
      @JsonProperty("versioned") boolean versioned,
      @JsonProperty("objects") long objects,
      @JsonProperty("listed_at") String listedAt) {}

  /** One object; {@code key} is relative to the header's prefix, {@code path} to the dataset. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Line(
      @JsonProperty("key") String key,
      @JsonProperty("path") String path,
      @JsonProperty("version_id") String versionId,
      @JsonProperty("etag") String etag,
      @JsonProperty("size") long size,
      @JsonProperty("last_modified") String lastModified,
      @JsonProperty("metadata") ObjectMetadata metadata) {}

  private final BucketListing listing;
  private final BucketReader reader;
  private final String bucket;
  private final String prefix;
  private final boolean versioned;
  private final Instant listedAt;
  private final Path directory;
  private Path file;
  private String digest;

  /**
   * @param directory where the temporary file goes
   */
  public MetadataSidecar(BucketListing listing, BucketReader reader, String bucket, String prefix, boolean versioned,
      Instant listedAt, Path directory) {
    this.listing = listing;
    this.reader = reader;
    this.bucket = bucket;
    this.prefix = prefix;
    this.versioned = versioned;
    this.listedAt = listedAt;
    this.directory = directory;
  }

  /** The file, written on first use; a failure fails the backup (a snapshot without its metadata is not one). */
  synchronized Path file() {
    if (file == null) {
      try {
        write();
      } catch (IOException | RuntimeException e) {
        throw new SnapshotException("cannot record the object metadata of s3://" + bucket + "/" + prefix + ": "
            + e.getMessage(), e);
      }
    }
    return file;
  }

  /** The SHA-256 of the file's content, hex. */
  synchronized String digest() {
    file();
    return digest;
  }

  private void write() throws IOException {
    Path tmp = Files.createTempFile(directory, "holdfast-s3-", ".jsonl");
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ExecutorService heads = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "holdfast-s3-head");
      t.setDaemon(true);
      return t;
    });
    ObjectWriter writer = JSON.writer();
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha);
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
      w.write(writer.writeValueAsString(new Header(1, bucket, prefix, versioned, listing.count(), listedAt.toString())));
      w.write('\n');
      ArrayDeque<CompletableFuture<Line>> pending = new ArrayDeque<>();
      Consumer<Line> emit = line -> {
        try {
          if (line != null) {
            w.write(writer.writeValueAsString(line));
            w.write('\n');
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
      listing.forEachObject((names, f) -> {
        pending.add(CompletableFuture.supplyAsync(() -> line(names, f), heads));
        while (pending.size() > IN_FLIGHT) {
          emit.accept(pending.poll().join());
        }
      });
      while (!pending.isEmpty()) {
        emit.accept(pending.poll().join());
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    } finally {
      heads.shutdownNow();
    }
    file = tmp;
    digest = HexFormat.of().formatHex(sha.digest());
  }

  private Line line(List<String> names, BucketListing.ObjectFile f) {
    String key = KeyNames.key(names);
    ObjectMetadata meta;
    try {
      meta = reader.head(prefix + key, f.versionId());
    } catch (NoSuchFileException e) {
      // gone since the listing (possible only for a live listing): it is not in the snapshot either
      LOG.warn("s3://{}/{}{} vanished after it was listed; left out", bucket, prefix, key);
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Line(key, String.join("/", names), f.versionId(), f.etag(), f.size(),
        Instant.ofEpochMilli(f.lastModifiedMillis()).toString(), meta);
  }

  /** Reads a metadata file: the header, then each line in turn. */
  public static Header read(BufferedReader in, Consumer<Header> headers, Consumer<Line> lines) throws IOException {
    String first = in.readLine();
    if (first == null) {
      throw new IOException("empty " + FILE_NAME);
    }
    Header header = JSON.readValue(first, Header.class);
    headers.accept(header);
    String l;
    while ((l = in.readLine()) != null) {
      if (!l.isBlank()) {
        lines.accept(JSON.readValue(l, Line.class));
      }
    }
    return header;
  }

  @Override
  public synchronized void close() throws IOException {
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }
}
