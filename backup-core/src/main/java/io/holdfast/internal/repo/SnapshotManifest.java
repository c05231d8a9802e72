package io.holdfast.internal.repo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code .holdfast/manifest.json} a Holdfast snapshot carries beside its datasets (written by
 * {@code BackupRun}): plan, run id, host, and per dataset its provider and external references.
 * Only the fields readers need are mapped; unknown ones are ignored, so older and newer manifests
 * read alike.
 */
public record SnapshotManifest(
    @JsonProperty("format") Integer format,
    @JsonProperty("plan") String plan,
    @JsonProperty("run_id") String runId,
    @JsonProperty("hostname") String hostname,
    @JsonProperty("app_version") String appVersion,
    @JsonProperty("datasets") List<Dataset> datasets) {
  /** The directory at the root of a snapshot's tree that holds the manifest. */
  public static final String DIR = ".holdfast";
  /** The manifest's file name in {@link #DIR}. */
  public static final String FILE = "manifest.json";

  public SnapshotManifest {
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
  }

  /** One dataset's entry; {@code externalReferences} is never null. */
  public record Dataset(
      @JsonProperty("name") String name,
      @JsonProperty("provider") String provider,
      @JsonProperty("external_references") Map<String, String> externalReferences) {
    public Dataset {
      externalReferences = externalReferences == null ? Map.of() : Map.copyOf(externalReferences);
    }
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
    return Optional.of(Json.read(json.toByteArray(), SnapshotManifest.class,
        what + " " + DIR + "/" + FILE));
  }
}
