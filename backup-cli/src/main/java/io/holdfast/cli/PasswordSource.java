package io.holdfast.cli;

import io.holdfast.HoldfastException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Where the repository password comes from, first match wins: {@code HOLDFAST_PASSWORD}, then
 * {@code RESTIC_PASSWORD} (an empty variable counts as unset), then the first line of
 * {@code --password-file}, then a prompt on the terminal. The password is never printed, logged
 * or put in a message; the caller clears the array it gets.
 */
final class PasswordSource {
  static final String HOLDFAST_PASSWORD = "HOLDFAST_PASSWORD";
  static final String RESTIC_PASSWORD = "RESTIC_PASSWORD";

  private final Map<String, String> env;
  private final Path file;
  private final Terminal terminal;

  PasswordSource(Map<String, String> env, Path file, Terminal terminal) {
    this.env = env;
    this.file = file;
    this.terminal = terminal;
  }

  /**
   * The password of an existing repository.
   *
   * @throws HoldfastException if no source gives one, or it is empty
   */
  char[] existing() {
    return read(false);
  }

  /** The password for a new repository; a prompt asks twice and insists that both agree. */
  char[] forNewRepository() {
    return read(true);
  }

  private char[] read(boolean confirm) {
    for (String name : new String[] {HOLDFAST_PASSWORD, RESTIC_PASSWORD}) {
      String v = env.get(name);
      if (v != null && !v.isEmpty()) {
        return v.toCharArray();
      }
    }
    if (file != null) {
      return nonEmpty(firstLine(file), "the password file " + file + " starts with an empty line");
    }
    char[] pw = terminal.readPassword(confirm ? "enter password for new repository: " : "enter password for repository: ");
    if (pw == null) {
      throw new HoldfastException("no password: set HOLDFAST_PASSWORD (or RESTIC_PASSWORD), give --password-file,"
          + " or run on a terminal to be asked");
    }
    nonEmpty(pw, "an empty password is not allowed");
    if (confirm) {
      char[] again = terminal.readPassword("enter password again: ");
      boolean same = Arrays.equals(pw, again);
      if (again != null) {
        Arrays.fill(again, '\0');
      }
      if (!same) {
        Arrays.fill(pw, '\0');
        throw new HoldfastException("the passwords do not match");
      }
    }
    return pw;
  }

  private static char[] nonEmpty(char[] pw, String message) {
    if (pw.length == 0) {
      throw new HoldfastException(message);
    }
    return pw;
  }

  /** The first line, without its line ending. */
  private static char[] firstLine(Path file) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = r.readLine();
      return line == null ? new char[0] : line.toCharArray();
    } catch (IOException e) {
      throw new HoldfastException("cannot read the password file " + file + ": " + e, e);
    }
  }
}
