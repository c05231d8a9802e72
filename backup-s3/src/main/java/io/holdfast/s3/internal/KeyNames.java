package io.holdfast.s3.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The reversible mapping between S3 keys (relative to a dataset's prefix) and path names in a
 * snapshot tree. A key is split at every {@code /} into segments; each segment becomes one name,
 * escaped so that it is a valid, portable file name:
 *
 * <ul>
 *   <li>{@code %} is written {@code %25} and NUL {@code %00}; nothing else is escaped, so ordinary
 *       keys read as themselves;
 *   <li>the segments {@code .} and {@code ..} are written {@code %2E} and {@code %2E%2E};
 *   <li>an empty segment ({@code a//b}, a leading {@code /}, the trailing {@code /} of a directory
 *       marker object {@code a/}) is written as a lone {@code %}: {@code a/} is the file {@code %}
 *       inside directory {@code a};
 *   <li>at the top of the dataset, a segment {@code .holdfast-s3} (the name Holdfast keeps its
 *       object metadata under) is written {@code %2Eholdfast-s3};
 *   <li>a name longer than {@value #MAX_PIECE_BYTES} UTF-8 bytes is cut into pieces of at most that
 *       many bytes (never inside a character or an escape); every piece but the last gets the
 *       suffix {@code %+} and becomes a directory holding the rest;
 *   <li>a key that is also the prefix of other keys ({@code a} and {@code a/b}) cannot be a file and
 *       a directory at once: the file gets the suffix {@code %~} ({@code a%~} beside directory
 *       {@code a}). Only {@link BucketListing} decides this, since it needs the whole listing.
 * </ul>
 *
 * Decoding reverses each rule: a bare {@code %} that is not followed by two hex digits is always
 * one of these markers, since a literal {@code %} in a key is always escaped. Names thus never
 * exceed 255 bytes and are never empty, {@code .}, {@code ..}, or hold {@code /} or NUL.
 */
public final class KeyNames {
  /** The directory at the top of a bucket dataset that holds Holdfast's object metadata. */
  public static final String RESERVED = ".holdfast-s3";
  /** Suffix of a file whose name is also a directory (a key that is a prefix of other keys). */
  public static final String FILE_MARK = "%~";
  /** Suffix of a piece of a long name that continues in the next path component. */
  static final String CONTINUED = "%+";
  static final String EMPTY = "%";
  /** 255 bytes, less room for one two-byte marker. */
  static final int MAX_PIECE_BYTES = 253;

  private KeyNames() {}

  /** The path names of a relative key, without the {@link #FILE_MARK} (see the class comment). */
  public static List<String> names(String key) {
    List<String> out = new ArrayList<>();
    int start = 0;
    boolean top = true;
    while (true) {
      int slash = key.indexOf('/', start);
      String segment = slash < 0 ? key.substring(start) : key.substring(start, slash);
      split(encode(segment, top), out);
      if (slash < 0) {
        return out;
      }
      start = slash + 1;
      top = false;
    }
  }

  /** The relative key that the path {@code names} stands for; the inverse of {@link #names}. */
  public static String key(List<String> names) {
    StringBuilder key = new StringBuilder();
    StringBuilder segment = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n.endsWith(CONTINUED)) {
        segment.append(n, 0, n.length() - CONTINUED.length());
        continue;
      }
      if (n.endsWith(FILE_MARK)) {
        if (i != names.size() - 1) {
          throw new IllegalArgumentException("'" + n + "' marks a file but is not the last name of " + names);
        }
        n = n.substring(0, n.length() - FILE_MARK.length());
      }
      segment.append(n);
      key.append(decode(segment.toString()));
      segment.setLength(0);
      if (i != names.size() - 1) {
        key.append('/');
      }
    }
    if (segment.length() > 0) {
      throw new IllegalArgumentException("path " + names + " ends inside a continued name");
    }
    return key.toString();
  }

  static String encode(String segment, boolean top) {
    if (segment.isEmpty()) {
      return EMPTY;
    }
    if (segment.equals(".")) {
      return "%2E";
    }
    if (segment.equals("..")) {
      return "%2E%2E";
    }
    if (top && segment.equals(RESERVED)) {
      return "%2E" + RESERVED.substring(1);
    }
    StringBuilder b = null;
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%' || c == '\0') {
        if (b == null) {
          b = new StringBuilder(segment.length() + 8).append(segment, 0, i);
        }
        b.append(c == '%' ? "%25" : "%00");
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? segment : b.toString();
  }

  static String decode(String name) {
    if (name.equals(EMPTY)) {
      return "";
    }
    int pct = name.indexOf('%');
    if (pct < 0) {
      return name;
    }
    StringBuilder b = new StringBuilder(name.length()).append(name, 0, pct);
    for (int i = pct; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '%') {
        b.append(c);
        continue;
      }
      int hi = i + 2 < name.length() ? Character.digit(name.charAt(i + 1), 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(name.charAt(i + 2), 16);
      if (hi < 0 || lo < 0 || hi > 7) {
        throw new IllegalArgumentException("'" + name + "' is not an escaped key segment (bad % at " + i + ")");
      }
      b.append((char) (hi * 16 + lo));
      i += 2;
    }
    return b.toString();
  }

  /** Adds {@code name} to {@code out}, cut into continued pieces if it is too long. */
  private static void split(String name, List<String> out) {
    if (utf8Length(name, 0, name.length()) <= MAX_PIECE_BYTES) {
      out.add(name);
      return;
    }
    int start = 0;
    int bytes = 0;
    int i = 0;
    while (i < name.length()) {
      int unitEnd = unitEnd(name, i);
      int unitBytes = utf8Length(name, i, unitEnd);
      if (bytes + unitBytes > MAX_PIECE_BYTES) {
        out.add(piece(name.substring(start, i), start > 0) + CONTINUED);
        start = i;
        bytes = 0;
      }
      bytes += unitBytes;
      i = unitEnd;
    }
    out.add(piece(name.substring(start), true));
  }

  /** A later piece of a long name could be "." or "..": escaped like a whole segment would be. */
  private static String piece(String p, boolean later) {
    return later && (p.equals(".") || p.equals("..")) ? encode(p, false) : p;
  }

  private static int unitEnd(String s, int i) {
    char c = s.charAt(i);
    if (c == '%') {
      return i + 3;
    }
    return Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
  }

  static int utf8Length(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** For tests and checks: the UTF-8 length of a name. */
  static int bytes(String name) {
    return name.getBytes(StandardCharsets.UTF_8).length;
  }
}
