package io.holdfast.internal.repo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** An index file: which packs hold which blobs, and which older index files it replaces. */
public record IndexFile(
    @JsonProperty("supersedes") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> supersedes,
    @JsonProperty("packs") List<Pack> packs) {

  public record Pack(@JsonProperty("id") String id, @JsonProperty("blobs") List<Blob> blobs) {}

  /** One blob; {@code uncompressedLength} is present only for compressed blobs. */
  public record Blob(
      @JsonProperty("id") String id,
      @JsonProperty("type") String type,
      @JsonProperty("offset") long offset,
      @JsonProperty("length") long length,
      @JsonProperty("uncompressed_length") Long uncompressedLength) {

    /** The entry for a blob stored at {@code where}. */
    public static Blob of(PackedBlob where) {
      return new Blob(where.id().hex(), where.type().json(), where.offset(), where.length(),
          where.compressed() ? Long.valueOf(where.uncompressedLength()) : null);
    }

    /** This entry as a place in {@code pack}; {@code file} names the index file in errors. */
    public PackedBlob in(Id pack, String file) {
      int ulen = uncompressedLength == null ? 0 : Math.toIntExact(uncompressedLength);
      return new PackedBlob(BlobType.fromJson(type, file), Id.parse(id), pack, offset, Math.toIntExact(length), ulen);
    }
  }
}
