package io.holdfast.cli;

import java.io.Console;

/**
 * The operator's terminal, if there is one: it is asked for a password when no other source gives
 * one, and decides whether a progress bar is drawn. Tests pass {@link #none()} or a fake.
 */
interface Terminal {
  /** True when a person is likely watching (a console is attached): progress is drawn. */
  boolean interactive();

  /** Reads a line without echo; null when there is no terminal to ask on. */
  char[] readPassword(String prompt);

  /** The JVM's console ({@link System#console()}), present only when stdin and stdout are a terminal. */
  static Terminal system() {
    return new Terminal() {
      @Override
      public boolean interactive() {
        return System.console() != null;
      }

      @Override
      public char[] readPassword(String prompt) {
        Console c = System.console();
        return c == null ? null : c.readPassword("%s", prompt);
      }
    };
  }

  /** No terminal: never prompts, never draws progress. */
  static Terminal none() {
    return new Terminal() {
      @Override
      public boolean interactive() {
        return false;
      }

      @Override
      public char[] readPassword(String prompt) {
        return null;
      }
    };
  }
}
