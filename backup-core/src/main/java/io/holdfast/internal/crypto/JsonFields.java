package io.holdfast.internal.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.RepositoryFormatException;
import java.util.Base64;

/**
 * Required fields of the JSON documents this package reads, each failure a {@link
 * RepositoryFormatException} that names the document ({@code where}) and the field but never its
 * value, which may be secret.
 */
final class JsonFields {
  private JsonFields() {}

  static String text(JsonNode parent, String name, String where) {
    JsonNode node = parent.get(name);
    if (node == null || !node.isTextual()) {
      throw new RepositoryFormatException(where + " lacks the string field " + name);
    }
    return node.textValue();
  }

  static byte[] base64(JsonNode parent, String name, String where) {
    try {
      return Base64.getDecoder().decode(text(parent, name, where));
    } catch (IllegalArgumentException e) {
      throw new RepositoryFormatException(where + ": field " + name + " is not base64");
    }
  }

  static byte[] base64(JsonNode parent, String name, int length, String where) {
    byte[] bytes = base64(parent, name, where);
    if (bytes.length != length) {
      throw new RepositoryFormatException(
          where + ": field " + name + " has " + bytes.length + " bytes, not " + length);
    }
    return bytes;
  }

  static int integer(JsonNode parent, String name, String where) {
    JsonNode node = parent.get(name);
    if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new RepositoryFormatException(where + " lacks the integer field " + name);
    }
    return node.intValue();
  }
}
