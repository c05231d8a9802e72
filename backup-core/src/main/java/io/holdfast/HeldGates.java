package io.holdfast;

import io.holdfast.spi.ConsistencyGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gates one run acquired, in order; {@link #releaseAll()} releases them in reverse, once, and
 * records (never throws) what failed to release.
 */
final class HeldGates {
  private static final Logger LOG = LoggerFactory.getLogger(HeldGates.class);

  private final String owner;
  private final List<ConsistencyGate.Hold> holds = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final List<String> releaseFailures = new ArrayList<>();
  private final boolean any;
  private boolean degraded;
  private boolean released;

  private HeldGates(String owner, boolean any) {
    this.owner = owner;
    this.any = any;
  }

  /**
   * Acquires {@code gates} in order, each within its own timeout. A gate that fails or times out
   * either fails the whole acquisition (after releasing the gates already held) or, with
   * {@link ConsistencyGate.OnFailure#DEGRADE}, is skipped with a warning.
   */
  static HeldGates acquire(String owner, List<ConsistencyGate> gates, ExecutorService executor,
      Consumer<String> warn) throws Exception {
    HeldGates held = new HeldGates(owner, !gates.isEmpty());
    try {
      for (ConsistencyGate gate : gates) {
        Duration timeout = gate.acquireTimeout();
        LateHold late = new LateHold();
        CompletableFuture<ConsistencyGate.Hold> f = CompletableFuture.supplyAsync(() -> {
          try {
            return gate.acquire(timeout);
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        }, executor);
        f.thenAccept(late::arrived);
        ConsistencyGate.Hold hold;
        try {
          hold = f.get(timeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          // should it still succeed, release it as soon as it does: never leave the app held
          late.abandon();
          held.degradeOrThrow(gate, "did not acquire within " + timeout, null, warn);
          continue;
        } catch (InterruptedException e) {
          late.abandon(); // the acquire may still succeed on its thread: release it when it does
          throw e;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
              ? c.getCause() : e.getCause();
          held.degradeOrThrow(gate, "failed to acquire: " + cause.getMessage(), cause, warn);
          continue;
        }
        held.holds.add(hold);
        held.names.add(gate.name());
      }
      return held;
    } catch (Exception | Error e) {
      held.releaseAll();
      throw e;
    }
  }

  /** A hold that may arrive after its acquisition was given up; it is then released at once. */
  private static final class LateHold {
    private ConsistencyGate.Hold hold;
    private boolean abandoned;
    private boolean released;

    synchronized void arrived(ConsistencyGate.Hold h) {
      hold = h;
      releaseIfAbandoned();
    }

    synchronized void abandon() {
      abandoned = true;
      releaseIfAbandoned();
    }

    private void releaseIfAbandoned() {
      if (abandoned && hold != null && !released) {
        released = true;
        try {
          hold.release();
        } catch (Exception e) {
          LOG.error("a gate that acquired too late failed to release: the application may still be held", e);
        }
      }
    }
  }

  private void degradeOrThrow(ConsistencyGate gate, String why, Throwable cause, Consumer<String> warn) {
    if (gate.onFailure() != ConsistencyGate.OnFailure.DEGRADE) {
      throw new GateException("gate " + gate.name() + " " + why, cause);
    }
    degraded = true;
    warn.accept("gate " + gate.name() + " " + why + "; continuing without it (DEGRADE)");
  }

  /** True when the plan had gates and every one of them is held. */
  boolean complete() {
    return any && !degraded;
  }

  List<String> names() {
    return List.copyOf(names);
  }

  synchronized List<String> releaseFailures() {
    return List.copyOf(releaseFailures);
  }

  synchronized void releaseAll() {
    if (released) {
      return;
    }
    released = true;
    for (int i = holds.size() - 1; i >= 0; i--) {
      try {
        holds.get(i).release();
      } catch (Throwable t) {
        String msg = "gate " + names.get(i) + " failed to release: the application may still be held: " + t;
        LOG.error("{}: {}", owner, msg, t);
        releaseFailures.add(msg);
      }
    }
  }
}
