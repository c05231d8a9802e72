package io.holdfast.internal.repo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.holdfast.ConsistencyLevel;
import io.holdfast.spi.SnapshotProvider.Capability;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code .holdfast/manifest.json} a Holdfast snapshot carries beside its datasets (DESIGN.md
 * section 4), the one definition of its JSON shape: written by backups and archive imports through
 * {@link #toJson()}, read by restore, forget, archive import and {@code io.holdfast.SnapshotManifest}.
 * It holds the plan, the run's random id (the one providers tagged external data with), the
 * application version, the gates and how long they were held, and per dataset its provider,
 * consistency and external references.
 *
 * <p>The document is pretty-printed JSON with the fields in this order, absent values left out,
 * maps sorted by key. Reading ignores unknown fields and takes missing lists and maps as empty, so
 * older and newer manifests read alike. Timestamps are ISO-8601 instants ({@link Instant#toString()}).
 *
 * @param format 1; null in a document that has none
 * @param appVersion null when the plan records none
 */
@JsonPropertyOrder({"format", "plan", "run_id", "app_version", "hostname", "started", "gates", "gate_hold_ms",
    "datasets"})
public record SnapshotManifest(
    @JsonProperty("format") Integer format,
    @JsonProperty("plan") String plan,
    @JsonProperty("run_id") String runId,
    @JsonProperty("app_version") String appVersion,
    @JsonProperty("hostname") String hostname,
    @JsonProperty("started") String started,
    @JsonProperty("gates") List<String> gates,
    @JsonProperty("gate_hold_ms") long gateHoldMs,
    @JsonProperty("datasets") List<Dataset> datasets) {
  /** The directory at the root of a snapshot's tree that holds the manifest. */
  public static final String DIR = ".holdfast";
  /** The manifest's file name in {@link #DIR}. */
  public static final String FILE = "manifest.json";
  /** The format this code writes. */
  public static final int FORMAT = 1;

  public SnapshotManifest {
    gates = gates == null ? List.of() : List.copyOf(gates);
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
  }

  /** A manifest to write, in the current format. */
  public static SnapshotManifest of(String plan, String runId, String appVersion, String hostname, Instant started,
      List<String> gates, long gateHoldMs, List<Dataset> datasets) {
    return new SnapshotManifest(FORMAT, plan, runId, appVersion, hostname, started.toString(), gates, gateHoldMs,
        datasets);
  }

  /**
   * One dataset's entry; {@code capability} and {@code consistency} are the lower-case names of
   * their enums. {@code frozenAt} and {@code location} may be null; the maps are never null.
   */
  @JsonPropertyOrder({"name", "provider", "capability", "consistency", "frozen_at", "location", "describe",
      "external_references"})
  public record Dataset(
      @JsonProperty("name") String name,
      @JsonProperty("provider") String provider,
      @JsonProperty("capability") String capability,
      @JsonProperty("consistency") String consistency,
      @JsonProperty("frozen_at") String frozenAt,
      @JsonProperty("location") String location,
      @JsonProperty("describe") Map<String, String> describe,
      @JsonProperty("external_references") Map<String, String> externalReferences) {
    public Dataset {
      describe = sorted(describe);
      externalReferences = sorted(externalReferences);
    }

    /** An entry to write. */
    public static Dataset of(String name, String provider, Capability capability, ConsistencyLevel consistency,
        Instant frozenAt, String location, Map<String, String> describe, Map<String, String> externalReferences) {
      return new Dataset(name, provider, capability.name().toLowerCase(Locale.ROOT),
          consistency.name().toLowerCase(Locale.ROOT), frozenAt == null ? null : frozenAt.toString(), location,
          describe, externalReferences);
    }

    /** The recorded consistency; {@link ConsistencyLevel#NONE} when it is missing or unknown. */
    @JsonIgnore
    public ConsistencyLevel consistencyLevel() {
      try {
        return consistency == null ? ConsistencyLevel.NONE : ConsistencyLevel.valueOf(consistency.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return ConsistencyLevel.NONE;
      }
    }

    /** When the dataset was frozen; null when not recorded or not a timestamp. */
    @JsonIgnore
    public Instant frozenInstant() {
      try {
        return frozenAt == null ? null : Instant.parse(frozenAt);
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
    }

    private static Map<String, String> sorted(Map<String, String> m) {
      return m == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
    }
  }

  /** The document as written: pretty-printed UTF-8 JSON. */
  public byte[] toJson() {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the manifest", e);
    }
  }

  /** Parses a manifest document; {@code what} names it in errors. */
  public static SnapshotManifest parse(byte[] json, String what) {
    return Json.read(json, SnapshotManifest.class, what);
  }

  /**
   * The manifest of {@code snapshot}, or empty if its tree has none (a snapshot restic made).
   *
   * @throws io.holdfast.RepositoryFormatException if the manifest is not valid JSON
   * @throws io.holdfast.IntegrityException if a blob it needs is missing or damaged
   */
  public static Optional<SnapshotManifest> read(Repository repo, Repository.Snapshot snapshot) {
    return read(repo, repo.loadTree(Id.parse(snapshot.file().tree())), "snapshot " + snapshot.id().shortHex());
  }

  /** The manifest in the snapshot root tree {@code root}; {@code what} names the snapshot in errors. */
  public static Optional<SnapshotManifest> read(Repository repo, Tree root, String what) {
    Node dir = root.find(DIR);
    if (dir == null || !dir.isDir() || dir.subtree() == null) {
      return Optional.empty();
    }
    Node file = repo.loadTree(Id.parse(dir.subtree())).find(FILE);
    if (file == null || !file.isFile()) {
      return Optional.empty();
    }
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    for (String blob : file.contentOrEmpty()) {
      json.writeBytes(repo.loadBlob(BlobType.DATA, Id.parse(blob)));
    }
    return Optional.of(parse(json.toByteArray(), what + " " + DIR + "/" + FILE));
  }
}
