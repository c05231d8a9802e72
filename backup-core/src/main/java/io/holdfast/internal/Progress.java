package io.holdfast.internal;

/**
 * Where long internal work (a verify, a prune) says how far it has come. Called from worker
 * threads, possibly several at once; an implementation must be thread-safe, must not block, and
 * must not throw (the engine's adapter catches what a listener throws).
 */
public interface Progress {
  /** Hears nothing. */
  Progress NONE = new Progress() {
    @Override
    public void step(String message) {}

    @Override
    public void done(long items, long bytes) {}
  };

  /** A step begins, said in words with its size where known ("data check: reading 40 packs"). */
  void step(String message);

  /** Items (packs) and bytes done so far in the current step. */
  void done(long items, long bytes);
}
