package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RunLogTest {
  /** A listener that throws on everything it hears. */
  static final class Broken implements BackupListener {
    @Override
    public void phase(String plan, PhaseChange change) {
      throw new IllegalStateException("broken listener");
    }

    @Override
    public void progress(String plan, long files, long bytes) {
      throw new IllegalStateException("broken listener");
    }

    @Override
    public void status(String plan, String dataset, String message) {
      throw new IllegalStateException("broken listener");
    }

    @Override
    public void warning(String plan, String message) {
      throw new IllegalStateException("broken listener");
    }
  }

  @Test
  void aListenerThatThrowsKeepsNoOtherFromHearingAnyKindOfEvent() {
    List<String> heard = new CopyOnWriteArrayList<>();
    BackupListener recording = new BackupListener() {
      @Override
      public void phase(String plan, PhaseChange change) {
        heard.add(plan + " phase " + change.phase());
      }

      @Override
      public void progress(String plan, long files, long bytes) {
        heard.add(plan + " progress " + files + " " + bytes);
      }

      @Override
      public void status(String plan, String dataset, String message) {
        heard.add(plan + " status " + dataset + ": " + message);
      }

      @Override
      public void warning(String plan, String message) {
        heard.add(plan + " warning " + message);
      }
    };
    RunLog log = new RunLog("nightly", new MutableClock(Instant.parse("2024-05-01T00:00:00Z"), ZoneOffset.UTC),
        List.of(new Broken(), recording, new Broken()));

    log.enter(Phase.RUNNING);
    log.progress(3, 4096);
    log.status("data", "EBS snapshot 40%");
    log.warn("file vanished");

    assertThat(heard).containsExactly("nightly phase RUNNING", "nightly progress 3 4096",
        "nightly status data: EBS snapshot 40%", "nightly warning file vanished");
    assertThat(log.warnings()).containsExactly("file vanished");
    assertThat(log.phase()).isEqualTo(Phase.RUNNING);
  }
}
