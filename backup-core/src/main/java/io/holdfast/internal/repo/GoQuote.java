package io.holdfast.internal.repo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.holdfast.RepositoryFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * restic stores a node's name as Go's {@code strconv.Quote} of it, without the surrounding quotes:
 * printable characters as they are, {@code "} and {@code \} escaped, control and other
 * non-printable characters as {@code \n}, {@code \xHH}, {@code \\uHHHH} or {@code \UHHHHHHHH}. This
 * class quotes and unquotes exactly that way, and plugs into Jackson for {@link Node#name()}.
 */
public final class GoQuote {
  private GoQuote() {}

  /** The quoted form of {@code s}, without the enclosing double quotes. */
  public static String quote(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      String esc = escape(cp);
      if (esc != null && b == null) {
        b = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (b != null) {
        if (esc != null) {
          b.append(esc);
        } else {
          b.appendCodePoint(cp);
        }
      }
      i += n;
    }
    return b == null ? s : b.toString();
  }

  private static String escape(int cp) {
    switch (cp) {
      case '"': return "\\\"";
      case '\\': return "\\\\";
      case 0x07: return "\\a";
      case '\b': return "\\b";
      case '\f': return "\\f";
      case '\n': return "\\n";
      case '\r': return "\\r";
      case '\t': return "\\t";
      case 0x0b: return "\\v";
      default:
    }
    if (isPrint(cp)) {
      return null;
    }
    if (cp < ' ' || cp == 0x7f) {
      return String.format("\\x%02x", cp);
    }
    if (Character.isSurrogate((char) cp) && cp <= 0xffff) {
      // A lone surrogate is not valid UTF-8; Go would have seen U+FFFD.
      return "\\ufffd";
    }
    return cp < 0x10000 ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp);
  }

  /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
  static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
        return true;
      default:
        return false;
    }
  }

  /** Reverses {@link #quote}; {@code \xHH} and octal escapes are bytes of the UTF-8 form. */
  public static String unquote(String q) {
    if (q.indexOf('\\') < 0) {
      if (q.indexOf('"') >= 0 || q.indexOf('\n') >= 0) {
        throw new RepositoryFormatException("invalid quoted name: " + q);
      }
      return q;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(q.length());
    int i = 0;
    while (i < q.length()) {
      char c = q.charAt(i);
      if (c == '"' || c == '\n') {
        throw new RepositoryFormatException("invalid quoted name: " + q);
      }
      if (c != '\\') {
        int cp = q.codePointAt(i);
        int n = Character.charCount(cp);
        out.writeBytes(q.substring(i, i + n).getBytes(StandardCharsets.UTF_8));
        i += n;
        continue;
      }
      if (i + 1 >= q.length()) {
        throw new RepositoryFormatException("invalid quoted name (trailing backslash): " + q);
      }
      char e = q.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> out.write(0x07);
        case 'b' -> out.write('\b');
        case 'f' -> out.write('\f');
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'v' -> out.write(0x0b);
        case '\\' -> out.write('\\');
        case '"' -> out.write('"');
        case 'x' -> {
          out.write(hex(q, i, 2));
          i += 2;
        }
        case 'u', 'U' -> {
          int len = e == 'u' ? 4 : 8;
          int cp = hex(q, i, len);
          if (!Character.isValidCodePoint(cp)) {
            throw new RepositoryFormatException("invalid code point in quoted name: " + q);
          }
          out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
          i += len;
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          if (i + 2 > q.length()) {
            throw new RepositoryFormatException("invalid octal escape in quoted name: " + q);
          }
          int v = Integer.parseInt(q.substring(i - 1, i + 2), 8);
          if (v > 255) {
            throw new RepositoryFormatException("invalid octal escape in quoted name: " + q);
          }
          out.write(v);
          i += 2;
        }
        default -> throw new RepositoryFormatException("invalid escape \\" + e + " in quoted name: " + q);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(String q, int at, int len) {
    if (at + len > q.length()) {
      throw new RepositoryFormatException("truncated escape in quoted name: " + q);
    }
    try {
      return Integer.parseUnsignedInt(q.substring(at, at + len), 16);
    } catch (NumberFormatException ex) {
      throw new RepositoryFormatException("invalid hex escape in quoted name: " + q, ex);
    }
  }

  /** Writes a name in restic's quoted form. */
  public static final class Serializer extends JsonSerializer<String> {
    @Override
    public void serialize(String value, JsonGenerator gen, SerializerProvider p) throws IOException {
      gen.writeString(quote(value));
    }
  }

  /** Reads a name from restic's quoted form. */
  public static final class Deserializer extends JsonDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      return unquote(p.getValueAsString());
    }
  }
}
