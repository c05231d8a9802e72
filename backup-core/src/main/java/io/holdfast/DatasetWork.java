package io.holdfast;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Work a run started for several datasets at once, one future each, waited for together: the wait
 * ends when all are done or at the first failure in time, whichever comes first. Failures that come
 * later, until {@link #stop()}, are kept to be attached to the one reported; those after it are the
 * stop's own doing. Thread-safe.
 */
final class DatasetWork {
  /** One dataset's piece of the work; {@code watched} completes once its failure, if any, is kept. */
  record Task(String dataset, CompletableFuture<?> future, CompletableFuture<?> watched) {}

  /** A failed task and what it threw (unwrapped from {@link CompletionException}). */
  record Failed(String dataset, Throwable cause) {}

  private final List<Task> tasks = new ArrayList<>();
  private final List<Failed> failures = new ArrayList<>();
  private final CompletableFuture<Failed> first = new CompletableFuture<>();
  private boolean stopped;

  void add(String dataset, CompletableFuture<?> future) {
    CompletableFuture<?> watched = future.whenComplete((v, e) -> {
      if (e != null) {
        failed(new Failed(dataset, unwrap(e)));
      }
    });
    synchronized (this) {
      tasks.add(new Task(dataset, future, watched));
    }
  }

  private void failed(Failed f) {
    synchronized (this) {
      if (stopped) {
        return;
      }
      failures.add(f);
    }
    first.complete(f);
  }

  static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  /** Waits for every task; returns the first failure, or empty when all succeeded. */
  Optional<Failed> await() throws InterruptedException {
    try {
      return await(Long.MAX_VALUE, false);
    } catch (TimeoutException e) {
      throw new AssertionError("no deadline, no timeout", e);
    }
  }

  /**
   * Waits for every task until {@code deadline} ({@link System#nanoTime()}); returns the first
   * failure, or empty when all succeeded.
   *
   * @throws TimeoutException when the deadline passes first
   */
  Optional<Failed> await(long deadline) throws InterruptedException, TimeoutException {
    return await(deadline, true);
  }

  private Optional<Failed> await(long deadline, boolean timed) throws InterruptedException, TimeoutException {
    CompletableFuture<?> all;
    synchronized (this) {
      // over the watched futures: when all are done, every failure is in first already
      all = CompletableFuture.allOf(tasks.stream().map(Task::watched).toArray(CompletableFuture[]::new));
    }
    CompletableFuture<Object> either = CompletableFuture.anyOf(all.exceptionally(e -> null), first);
    try {
      if (timed) {
        either.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } else {
        either.get();
      }
    } catch (ExecutionException | CancellationException e) {
      throw new AssertionError("neither future completes exceptionally", e);
    }
    return Optional.ofNullable(first.getNow(null));
  }

  /** The tasks whose futures are not done yet. */
  synchronized List<Task> running() {
    return tasks.stream().filter(t -> !t.future().isDone()).toList();
  }

  /** Failures from now on are not kept: the run is stopping the work, which may fail because of that. */
  synchronized void stop() {
    stopped = true;
  }

  /** Adds every kept failure but {@code reported} to its suppressed exceptions. */
  void attachTo(Throwable reported) {
    List<Failed> others;
    synchronized (this) {
      others = List.copyOf(failures);
    }
    for (Failed f : others) {
      if (f.cause() != reported) {
        reported.addSuppressed(f.cause());
      }
    }
  }
}
