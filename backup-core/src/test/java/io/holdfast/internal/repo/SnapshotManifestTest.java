package io.holdfast.internal.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.ConsistencyLevel;
import io.holdfast.spi.SnapshotProvider.Capability;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotManifestTest {
  /** Written by the hand-mapped writer (io.holdfast.Manifest) before the manifest had one definition. */
  static final String WRITTEN_BEFORE = """
      {
        "format" : 1,
        "plan" : "calendar",
        "run_id" : "0b6c1f9e-3d2a-4c1e-9a57-5f1e2d3c4b5a",
        "app_version" : "4.2.0",
        "hostname" : "db-host-1",
        "started" : "2024-05-01T02:00:00.123456789Z",
        "gates" : [ "fsfreeze", "app" ],
        "gate_hold_ms" : 1234,
        "datasets" : [ {
          "name" : "config",
          "provider" : "btrfs",
          "capability" : "instant",
          "consistency" : "application",
          "frozen_at" : "2024-05-01T02:00:01.500Z",
          "location" : "/srv/calendar/config",
          "describe" : {
            "excludes" : "*.tmp",
            "kind" : "directory"
          },
          "external_references" : { }
        }, {
          "name" : "data",
          "provider" : "ebs",
          "capability" : "instant",
          "consistency" : "crash",
          "frozen_at" : "2024-05-01T02:00:01Z",
          "describe" : {
            "volumes" : "vol-1"
          },
          "external_references" : {
            "ebs.consistency" : "multi-volume",
            "ebs.snapshot.0" : "snap-0123"
          }
        } ]
      }""";

  /** The same writer's output with no app version, no gates, no frozen_at and no location. */
  static final String WRITTEN_BEFORE_SPARSE = """
      {
        "format" : 1,
        "plan" : "import",
        "run_id" : "run-2",
        "hostname" : "h",
        "started" : "2024-05-01T00:00:00Z",
        "gates" : [ ],
        "gate_hold_ms" : 0,
        "datasets" : [ {
          "name" : "blobs",
          "provider" : "archive",
          "capability" : "none",
          "consistency" : "none",
          "describe" : {
            "imported_from" : "tar"
          },
          "external_references" : { }
        } ]
      }""";

  static SnapshotManifest calendar() {
    return SnapshotManifest.of("calendar", "0b6c1f9e-3d2a-4c1e-9a57-5f1e2d3c4b5a", "4.2.0", "db-host-1",
        Instant.parse("2024-05-01T02:00:00.123456789Z"), List.of("fsfreeze", "app"), 1234, List.of(
            SnapshotManifest.Dataset.of("config", "btrfs", Capability.INSTANT, ConsistencyLevel.APPLICATION,
                Instant.parse("2024-05-01T02:00:01.5Z"), "/srv/calendar/config",
                Map.of("kind", "directory", "excludes", "*.tmp"), Map.of()),
            SnapshotManifest.Dataset.of("data", "ebs", Capability.INSTANT, ConsistencyLevel.CRASH,
                Instant.parse("2024-05-01T02:00:01Z"), null, Map.of("volumes", "vol-1"),
                Map.of("ebs.snapshot.0", "snap-0123", "ebs.consistency", "multi-volume"))));
  }

  @Test
  void readsEveryFieldOfAManifestTheEarlierWriterWrote() {
    SnapshotManifest m = SnapshotManifest.parse(WRITTEN_BEFORE.getBytes(StandardCharsets.UTF_8), "test");

    assertThat(m.format()).isEqualTo(1);
    assertThat(m.plan()).isEqualTo("calendar");
    assertThat(m.runId()).isEqualTo("0b6c1f9e-3d2a-4c1e-9a57-5f1e2d3c4b5a");
    assertThat(m.appVersion()).isEqualTo("4.2.0");
    assertThat(m.hostname()).isEqualTo("db-host-1");
    assertThat(Instant.parse(m.started())).isEqualTo(Instant.parse("2024-05-01T02:00:00.123456789Z"));
    assertThat(m.gates()).containsExactly("fsfreeze", "app");
    assertThat(m.gateHoldMs()).isEqualTo(1234);
    assertThat(m.datasets()).extracting(SnapshotManifest.Dataset::name).containsExactly("config", "data");
    SnapshotManifest.Dataset config = m.datasets().get(0);
    assertThat(config.provider()).isEqualTo("btrfs");
    assertThat(config.capability()).isEqualTo("instant");
    assertThat(config.consistencyLevel()).isEqualTo(ConsistencyLevel.APPLICATION);
    assertThat(config.frozenInstant()).isEqualTo(Instant.parse("2024-05-01T02:00:01.5Z"));
    assertThat(config.location()).isEqualTo("/srv/calendar/config");
    assertThat(config.describe()).containsExactlyInAnyOrderEntriesOf(Map.of("kind", "directory", "excludes", "*.tmp"));
    assertThat(config.externalReferences()).isEmpty();
    SnapshotManifest.Dataset data = m.datasets().get(1);
    assertThat(data.consistencyLevel()).isEqualTo(ConsistencyLevel.CRASH);
    assertThat(data.location()).isNull();
    assertThat(data.externalReferences())
        .containsExactlyInAnyOrderEntriesOf(Map.of("ebs.snapshot.0", "snap-0123", "ebs.consistency", "multi-volume"));
  }

  @Test
  void writesTheSameBytesAsTheEarlierWriter() {
    assertThat(new String(calendar().toJson(), StandardCharsets.UTF_8)).isEqualTo(WRITTEN_BEFORE);
    SnapshotManifest sparse = SnapshotManifest.of("import", "run-2", null, "h", Instant.parse("2024-05-01T00:00:00Z"),
        List.of(), 0, List.of(SnapshotManifest.Dataset.of("blobs", "archive", Capability.NONE, ConsistencyLevel.NONE,
            null, null, Map.of("imported_from", "tar"), Map.of())));
    assertThat(new String(sparse.toJson(), StandardCharsets.UTF_8)).isEqualTo(WRITTEN_BEFORE_SPARSE);
  }

  @Test
  void aManifestReadBackIsWrittenAgainUnchanged() {
    for (String json : List.of(WRITTEN_BEFORE, WRITTEN_BEFORE_SPARSE)) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertThat(SnapshotManifest.parse(bytes, "test").toJson()).isEqualTo(bytes);
    }
  }

  @Test
  void unknownFieldsAreIgnoredAndMissingOnesReadAsEmpty() {
    SnapshotManifest m = SnapshotManifest.parse("""
        {"plan": "p", "future_field": {"x": 1}, "datasets": [{"name": "d", "consistency": "sideways"}]}"""
        .getBytes(StandardCharsets.UTF_8), "test");

    assertThat(m.format()).isNull();
    assertThat(m.gates()).isEmpty();
    assertThat(m.gateHoldMs()).isZero();
    SnapshotManifest.Dataset d = m.datasets().get(0);
    assertThat(d.consistencyLevel()).isEqualTo(ConsistencyLevel.NONE);
    assertThat(d.frozenInstant()).isNull();
    assertThat(d.describe()).isEmpty();
    assertThat(d.externalReferences()).isEmpty();
  }
}
