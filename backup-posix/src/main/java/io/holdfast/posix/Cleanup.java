package io.holdfast.posix;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a provider made for one snapshot, undone last-made-first: on close, or at once when
 * {@code take()} fails half-way. Every step runs even when an earlier one fails. Not thread-safe:
 * one snapshot's steps are added by the thread that takes it, and run once.
 */
final class Cleanup {
  /** One undo step. */
  @FunctionalInterface
  interface Step {
    void run() throws IOException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);

  private final Deque<Step> steps = new ArrayDeque<>();

  /** Adds a step, to run before the steps added earlier. */
  void add(Step step) {
    steps.push(step);
  }

  /** Adds a step that runs {@code command} through {@code runner}, failing on a nonzero exit. */
  void add(CommandRunner runner, List<String> command, Duration timeout) {
    add(() -> runner.check(command, timeout));
  }

  /**
   * Runs {@code command}, which makes something that {@code undo} removes, and adds the undo. When
   * the runner throws (a timeout kills the command half-way) the thing may exist all the same, so
   * the undo is added then too; a nonzero exit means the tool made nothing.
   */
  void make(CommandRunner runner, List<String> command, Duration timeout, List<String> undo) throws IOException {
    CommandRunner.Result r;
    try {
      r = runner.run(command, timeout);
    } catch (IOException e) {
      add(runner, undo, timeout);
      throw e;
    }
    r.orThrow(command);
    add(runner, undo, timeout);
  }

  /**
   * Runs every step; each failure is logged, the first rethrown with the others suppressed. An
   * interrupted thread (an engine shutting down) still cleans up: the flag is cleared while the
   * steps run, each bounded by its timeout, and set again after.
   */
  void run() throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      runSteps();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void runSteps() throws IOException {
    IOException first = null;
    while (!steps.isEmpty()) {
      try {
        steps.pop().run();
      } catch (IOException | RuntimeException e) {
        LOG.warn("snapshot cleanup failed: {}", e.getMessage());
        IOException io = e instanceof IOException x ? x : new IOException(e.getMessage(), e);
        if (first == null) {
          first = io;
        } else {
          first.addSuppressed(io);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Makes something with a new cleanup: {@code making} runs the tools, adds an undo step for each
   * thing it makes, and returns the result (a snapshot owning the cleanup). If it throws, the steps
   * added so far run at once and its exception is rethrown, their failures suppressed in it.
   */
  static <T> T whileMaking(Making<T> making) throws IOException {
    Cleanup cleanup = new Cleanup();
    try {
      return making.make(cleanup);
    } catch (Throwable e) { // an Error too: a half-made snapshot is undone whatever stopped the making
      try {
        cleanup.run();
      } catch (IOException | RuntimeException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
  }

  /** What {@link #whileMaking} runs. */
  @FunctionalInterface
  interface Making<T> {
    T make(Cleanup cleanup) throws IOException;
  }
}
