package io.holdfast;

import io.holdfast.internal.repo.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holdfast's own metadata in a snapshot, {@code .holdfast/manifest.json} (DESIGN.md section 4):
 * the plan, the application version, the gates and how long they were held, and per dataset its
 * provider, consistency and external references. {@code runId} is the backup run's random id (the
 * one providers tagged external data with), or that of the import. Written by backups and by archive imports alike,
 * so that every Holdfast snapshot carries the same document.
 */
record Manifest(String plan, String runId, String appVersion, String hostname, Instant started, List<String> gates,
    long gateHoldMs, List<DatasetEntry> datasets) {
  static final String DIR = io.holdfast.internal.repo.SnapshotManifest.DIR;
  static final String FILE = io.holdfast.internal.repo.SnapshotManifest.FILE;

  /** One dataset's entry; {@code frozenAt} and {@code location} may be null. */
  record DatasetEntry(String name, String provider, String capability, ConsistencyLevel consistency,
      Instant frozenAt, String location, Map<String, String> describe, Map<String, String> externalReferences) {}

  /** The document as BackupRun has always written it: pretty-printed JSON, fields in this order. */
  byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", 1);
    m.put("plan", plan);
    m.put("run_id", runId);
    m.put("app_version", appVersion);
    m.put("hostname", hostname);
    m.put("started", started.toString());
    m.put("gates", gates);
    m.put("gate_hold_ms", gateHoldMs);
    List<Map<String, Object>> ds = new ArrayList<>();
    for (DatasetEntry e : datasets) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("name", e.name());
      d.put("provider", e.provider());
      d.put("capability", e.capability().toLowerCase(Locale.ROOT));
      d.put("consistency", e.consistency().name().toLowerCase(Locale.ROOT));
      d.put("frozen_at", e.frozenAt() == null ? null : e.frozenAt().toString());
      if (e.location() != null) {
        d.put("location", e.location());
      }
      d.put("describe", new TreeMap<>(e.describe()));
      d.put("external_references", new TreeMap<>(e.externalReferences()));
      ds.add(d);
    }
    m.put("datasets", ds);
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(m).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the manifest", e);
    }
  }
}
