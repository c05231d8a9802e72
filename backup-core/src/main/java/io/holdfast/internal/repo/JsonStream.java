package io.holdfast.internal.repo;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.holdfast.RepositoryFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the two documents of which a run reads thousands, trees and index files, token by token
 * instead of through {@link Json}'s data binding: the same records and the same leniency (unknown
 * fields skipped, absent or null values null, or 0 for {@code uid}, {@code gid}, {@code offset} and
 * {@code length}; numbers given as strings accepted), at a fraction of the work on a fresh JVM.
 * Malformed documents are {@link RepositoryFormatException}s naming the document. Stateless.
 */
final class JsonStream {
  private JsonStream() {}

  /** A tree blob's JSON; {@code file} names it in errors. */
  static Tree tree(byte[] json, String file) {
    return read(json, file, "Tree", p -> {
      List<Node> nodes = List.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("nodes") && t == JsonToken.START_ARRAY) {
          List<Node> read = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            read.add(node(p));
          }
          nodes = read;
        } else if (field.equals("nodes") && t != JsonToken.VALUE_NULL) {
          throw new RepositoryFormatException("nodes is not a list");
        } else {
          p.skipChildren();
        }
      }
      return new Tree(nodes);
    });
  }

  /** An index file's JSON; {@code file} names it in errors. */
  static IndexFile index(byte[] json, String file) {
    return read(json, file, "IndexFile", p -> {
      List<String> supersedes = null;
      List<IndexFile.Pack> packs = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "supersedes" -> supersedes = strings(p);
          case "packs" -> packs = list(p, () -> pack(p));
          default -> p.skipChildren();
        }
      }
      return new IndexFile(supersedes, packs);
    });
  }

  private interface Document<T> {
    /** Reads the fields of the document's top object, whose START_OBJECT has been read. */
    T read(JsonParser p) throws IOException;
  }

  private static <T> T read(byte[] json, String file, String what, Document<T> document) {
    try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
      startDocument(p, file);
      return document.read(p);
    } catch (Empty e) {
      throw e;
    } catch (RepositoryFormatException e) {
      throw new RepositoryFormatException(file + ": malformed " + what + " JSON: " + e.getMessage(), e);
    } catch (JacksonException e) {
      throw new RepositoryFormatException(file + ": malformed " + what + " JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new RepositoryFormatException(file + ": unreadable " + what + " JSON", e);
    }
  }

  private static void startDocument(JsonParser p, String file) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      throw new Empty(file + ": empty JSON document");
    }
    expect(p, JsonToken.START_OBJECT, "document");
  }

  /** An empty document; its message names the file already. */
  private static final class Empty extends RepositoryFormatException {
    private static final long serialVersionUID = 1L;

    Empty(String message) {
      super(message);
    }
  }

  private static Node node(JsonParser p) throws IOException {
    expect(p, JsonToken.START_OBJECT, "node");
    String name = null;
    String type = null;
    Long mode = null;
    String mtime = null;
    String atime = null;
    String ctime = null;
    long uid = 0;
    long gid = 0;
    String user = null;
    String group = null;
    Long inode = null;
    Long deviceId = null;
    Long size = null;
    Long links = null;
    String linkTarget = null;
    Long device = null;
    List<String> content = null;
    String subtree = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "name" -> {
          String quoted = string(p);
          name = quoted == null ? null : GoQuote.unquote(quoted);
        }
        case "type" -> type = string(p);
        case "mode" -> mode = number(p);
        case "mtime" -> mtime = string(p);
        case "atime" -> atime = string(p);
        case "ctime" -> ctime = string(p);
        case "uid" -> uid = orZero(number(p));
        case "gid" -> gid = orZero(number(p));
        case "user" -> user = string(p);
        case "group" -> group = string(p);
        case "inode" -> inode = number(p);
        case "device_id" -> deviceId = number(p);
        case "size" -> size = number(p);
        case "links" -> links = number(p);
        case "linktarget" -> linkTarget = string(p);
        case "device" -> device = number(p);
        case "content" -> content = strings(p);
        case "subtree" -> subtree = string(p);
        default -> p.skipChildren();
      }
    }
    return new Node(name, type, mode, mtime, atime, ctime, uid, gid, user, group, inode, deviceId, size, links,
        linkTarget, device, content, subtree);
  }

  private static IndexFile.Pack pack(JsonParser p) throws IOException {
    expect(p, JsonToken.START_OBJECT, "pack");
    String id = null;
    List<IndexFile.Blob> blobs = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "id" -> id = string(p);
        case "blobs" -> blobs = list(p, () -> blob(p));
        default -> p.skipChildren();
      }
    }
    return new IndexFile.Pack(id, blobs);
  }

  private static IndexFile.Blob blob(JsonParser p) throws IOException {
    expect(p, JsonToken.START_OBJECT, "blob");
    String id = null;
    String type = null;
    long offset = 0;
    long length = 0;
    Long uncompressed = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "id" -> id = string(p);
        case "type" -> type = string(p);
        case "offset" -> offset = orZero(number(p));
        case "length" -> length = orZero(number(p));
        case "uncompressed_length" -> uncompressed = number(p);
        default -> p.skipChildren();
      }
    }
    return new IndexFile.Blob(id, type, offset, length, uncompressed);
  }

  private interface Element<T> {
    T read() throws IOException;
  }

  /** A list of elements (the parser is on its START_ARRAY), or null for a JSON null. */
  private static <T> List<T> list(JsonParser p, Element<T> element) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, JsonToken.START_ARRAY, "list");
    List<T> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(element.read());
    }
    return out;
  }

  private static List<String> strings(JsonParser p) throws IOException {
    return list(p, () -> string(p));
  }

  /** The current scalar as text (numbers and booleans too, as data binding coerces them), or null. */
  private static String string(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != null && t.isScalarValue()) {
      return p.getText();
    }
    throw new RepositoryFormatException("expected a string at " + p.currentLocation().offsetDescription()
        + ", found " + t);
  }

  /** The current value as a whole number (integers, floats truncated, digit strings), or null. */
  private static Long number(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      return (long) p.getDoubleValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      String s = p.getText().trim();
      if (s.isEmpty()) {
        return null;
      }
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new RepositoryFormatException("expected a number at " + p.currentLocation().offsetDescription()
            + ", found \"" + s + "\"");
      }
    }
    throw new RepositoryFormatException("expected a number at " + p.currentLocation().offsetDescription()
        + ", found " + t);
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

  private static void expect(JsonParser p, JsonToken token, String what) {
    if (p.currentToken() != token) {
      throw new RepositoryFormatException("expected a " + what + " at " + p.currentLocation().offsetDescription()
          + ", found " + p.currentToken());
    }
  }
}
