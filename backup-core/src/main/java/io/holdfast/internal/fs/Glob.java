package io.holdfast.internal.fs;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates a glob, with the syntax {@link java.nio.file.FileSystem#getPathMatcher} documents, to
 * a regular expression over '/'-separated path strings: {@code *} and {@code ?} stay within a
 * name, {@code **} crosses names, {@code [...]} and {@code {a,b}} as documented.
 */
final class Glob {
  private Glob() {}

  static Pattern toPattern(String glob) {
    StringBuilder re = new StringBuilder("^");
    boolean inGroup = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '\\' -> {
          if (++i == glob.length()) {
            throw new PatternSyntaxException("'\\' at the end of the glob", glob, i - 1);
          }
          quote(re, glob.charAt(i));
        }
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            re.append(".*");
            i++;
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> i = bracket(glob, i, re);
        case '{' -> {
          if (inGroup) {
            throw new PatternSyntaxException("nested '{' in glob", glob, i);
          }
          re.append("(?:");
          inGroup = true;
        }
        case '}' -> {
          if (inGroup) {
            re.append(')');
            inGroup = false;
          } else {
            quote(re, c);
          }
        }
        case ',' -> {
          if (inGroup) {
            re.append('|');
          } else {
            quote(re, c);
          }
        }
        default -> quote(re, c);
      }
    }
    if (inGroup) {
      throw new PatternSyntaxException("'{' without '}' in glob", glob, glob.length());
    }
    return Pattern.compile(re.append('$').toString());
  }

  /** Appends the character class starting at {@code glob[start] == '['}; returns the index of ']'. */
  private static int bracket(String glob, int start, StringBuilder re) {
    re.append("[[^/]&&[");
    int i = start + 1;
    if (i < glob.length() && glob.charAt(i) == '!') {
      re.append('^');
      i++;
    } else if (i < glob.length() && glob.charAt(i) == '^') {
      re.append("\\^");
      i++;
    }
    boolean first = true;
    for (; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == ']' && !first) {
        re.append("]]");
        return i;
      }
      if (c == '/') {
        throw new PatternSyntaxException("'/' inside a bracket expression", glob, i);
      }
      if (c == '-' && !first && i + 1 < glob.length() && glob.charAt(i + 1) != ']') {
        re.append('-');
      } else {
        if (c == '\\' || c == '[' || c == '&' || c == '^' || c == ']' || c == '-') {
          re.append('\\');
        }
        re.append(c);
      }
      first = false;
    }
    throw new PatternSyntaxException("'[' without ']' in glob", glob, start);
  }

  private static void quote(StringBuilder re, char c) {
    if ("\\.^$|?*+()[]{}".indexOf(c) >= 0) {
      re.append('\\');
    }
    re.append(c);
  }
}
