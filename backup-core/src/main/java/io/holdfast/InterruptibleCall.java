package io.holdfast;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A call run on an executor that {@link #stop()} interrupts and {@link #awaitEnded()} waits for
 * until it has really returned ({@code Future.cancel} only stops waiting for it). Thread-safe.
 */
final class InterruptibleCall {
  /** The work; it stops soon after its thread is interrupted. */
  interface Body {
    void run() throws Exception;
  }

  private final CompletableFuture<Void> result = new CompletableFuture<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private Thread thread;
  private boolean stopped;

  private InterruptibleCall() {}

  /** Starts {@code body} on {@code executor}; an executor that refuses it fails the result. */
  static InterruptibleCall start(Body body, Executor executor) {
    InterruptibleCall call = new InterruptibleCall();
    try {
      executor.execute(() -> call.run(body));
    } catch (RejectedExecutionException e) {
      call.result.completeExceptionally(e);
      call.ended.countDown();
    }
    return call;
  }

  /** Completes when the body returns, exceptionally with what it threw. */
  CompletableFuture<Void> result() {
    return result;
  }

  private void run(Body body) {
    synchronized (this) {
      if (stopped) {
        result.cancel(false);
        ended.countDown();
        return;
      }
      thread = Thread.currentThread();
    }
    try {
      body.run();
      result.complete(null);
    } catch (Throwable t) {
      result.completeExceptionally(t);
    } finally {
      synchronized (this) {
        thread = null;
        if (stopped) {
          Thread.interrupted(); // our interrupt, not to be left on the executor's thread
        }
      }
      ended.countDown();
    }
  }

  /** Interrupts the body if it runs; keeps it from starting if it has not. */
  synchronized void stop() {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
    }
  }

  /** Waits, not giving way to interrupts (the caller's interrupt is kept), until the body has returned or will never run. */
  void awaitEnded() {
    boolean interrupted = false;
    while (true) {
      try {
        ended.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
