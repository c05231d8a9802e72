package io.holdfast.s3.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** What an object carries besides its bytes and is restored with it; absent headers are null. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectMetadata(
    @JsonProperty("content_type") String contentType,
    @JsonProperty("cache_control") String cacheControl,
    @JsonProperty("content_encoding") String contentEncoding,
    @JsonProperty("content_disposition") String contentDisposition,
    @JsonProperty("content_language") String contentLanguage,
    @JsonProperty("user_metadata") Map<String, String> userMetadata) {
  public ObjectMetadata {
    userMetadata = userMetadata == null ? Map.of() : new TreeMap<>(userMetadata);
  }

  /** The metadata a HEAD (or GET) response reports for an object. */
  public static ObjectMetadata of(HeadObjectResponse h) {
    return new ObjectMetadata(h.contentType(), h.cacheControl(), h.contentEncoding(), h.contentDisposition(),
        h.contentLanguage(), h.metadata());
  }
}
