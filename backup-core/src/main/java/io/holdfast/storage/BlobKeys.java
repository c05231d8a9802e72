package io.holdfast.storage;

import java.util.Objects;

/**
 * The syntax of {@link BlobStore} keys and list prefixes, checked in one place so that every store
 * accepts exactly the same keys.
 *
 * <p>A key is one or more segments separated by {@code '/'}. A segment is non-empty, does not
 * start with {@code '.'} and contains neither {@code '\'} nor NUL. Ruling out a leading dot covers
 * {@code "."} and {@code ".."} (no key can climb out of a store's root) and also reserves
 * dot-names for a store's own bookkeeping: a local store's temporary files ({@code .tmp-...}) can
 * never be mistaken for an object. Keys chosen by the repository format ({@code config}, {@code
 * data/ab/abcd...}, {@code snapshots/...}) never start a segment with a dot.
 *
 * <p>Stateless and safe for use by any number of threads.
 */
public final class BlobKeys {

  private BlobKeys() {}

  /**
   * Returns {@code key} if it is a well-formed key.
   *
   * @throws IllegalArgumentException naming the key and the rule it breaks
   * @throws NullPointerException if {@code key} is null
   */
  public static String requireValidKey(String key) {
    Objects.requireNonNull(key, "key");
    String problem = problem(key);
    if (problem != null) {
      throw new IllegalArgumentException("malformed key \"" + printable(key) + "\": " + problem);
    }
    return key;
  }

  /**
   * Returns {@code prefix} if it is a well-formed list prefix: empty (everything), or the start of
   * some well-formed key, such as {@code "data/"} or {@code "data/ab"}.
   *
   * @throws IllegalArgumentException naming the prefix and the rule it breaks
   * @throws NullPointerException if {@code prefix} is null
   */
  public static String requireValidPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    // A prefix is valid exactly when some key starts with it; appending one ordinary character
    // completes any such prefix (a trailing '/' or a partial last segment) into a key.
    String problem = prefix.isEmpty() ? null : problem(prefix + "x");
    if (problem != null) {
      throw new IllegalArgumentException(
          "malformed prefix \"" + printable(prefix) + "\": " + problem);
    }
    return prefix;
  }

  /** The first rule {@code key} breaks, or null if it breaks none. */
  private static String problem(String key) {
    if (key.isEmpty()) {
      return "empty";
    }
    int start = 0;
    while (true) {
      int end = key.indexOf('/', start);
      if (end < 0) {
        end = key.length();
      }
      if (end == start) {
        return start == 0 ? "starts with '/'" : "has an empty segment";
      }
      if (key.charAt(start) == '.') {
        return "has a segment starting with '.'";
      }
      for (int i = start; i < end; i++) {
        char c = key.charAt(i);
        if (c == '\\') {
          return "contains '\\'";
        }
        if (c == '\0') {
          return "contains NUL";
        }
      }
      if (end == key.length()) {
        return null;
      }
      start = end + 1;
    }
  }

  /** The key as it can safely appear in a message: a NUL would cut some terminals short. */
  private static String printable(String key) {
    return key.replace("\0", "\\0");
  }
}
