package io.holdfast;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a run tells its listener: phases, status lines and progress counts, in order. */
final class RecordingListener implements BackupListener {
  /** One progress call. */
  record Done(long items, long bytes) {}

  final List<Phase> phases = new CopyOnWriteArrayList<>();
  final List<String> steps = new CopyOnWriteArrayList<>();
  final List<Done> done = new CopyOnWriteArrayList<>();

  @Override
  public void phase(String plan, PhaseChange change) {
    phases.add(change.phase());
  }

  @Override
  public void status(String plan, String dataset, String message) {
    steps.add(dataset + ": " + message);
  }

  @Override
  public void progress(String plan, long files, long bytes) {
    done.add(new Done(files, bytes));
  }

  /** The largest counts told: the last of a step whose calls may come from several threads. */
  Done most() {
    return new Done(done.stream().mapToLong(Done::items).max().orElse(0),
        done.stream().mapToLong(Done::bytes).max().orElse(0));
  }
}
