package io.holdfast.internal.repo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.holdfast.RepositoryFormatException;
import java.io.IOException;

/** The one JSON mapper of the repository format: unknown fields ignored, absent values omitted. */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private Json() {}

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** Parses {@code json} as {@code type}; a malformed document is an error naming {@code file}. */
  public static <T> T read(byte[] json, Class<T> type, String file) {
    try {
      T value = MAPPER.readValue(json, type);
      if (value == null) {
        throw new RepositoryFormatException(file + ": empty JSON document");
      }
      return value;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new RepositoryFormatException(file + ": malformed " + type.getSimpleName() + " JSON: "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new RepositoryFormatException(file + ": unreadable " + type.getSimpleName() + " JSON", e);
    }
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
