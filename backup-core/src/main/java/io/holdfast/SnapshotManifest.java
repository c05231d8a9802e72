package io.holdfast;

import com.fasterxml.jackson.databind.JsonNode;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Json;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.RepositoryLock;
import io.holdfast.internal.repo.Tree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Holdfast snapshot's {@code .holdfast/manifest.json} records: its plan, run, application
 * version and, per dataset, the provider and the references to data kept outside the repository
 * (EBS snapshot ids), for tools that act on that data (restoring EBS volumes).
 *
 * @param snapshotId the snapshot's full hex id
 * @param appVersion the recorded application version, or null
 * @param datasets in the order of the plan
 */
public record SnapshotManifest(String snapshotId, String plan, String runId, String appVersion,
    List<DatasetEntry> datasets) {

  /** One dataset of the manifest; {@code externalReferences} is empty for data inside the repository. */
  public record DatasetEntry(String name, String provider, String consistency, Map<String, String> externalReferences) {
    public DatasetEntry {
      externalReferences = Map.copyOf(externalReferences);
    }
  }

  public SnapshotManifest {
    datasets = List.copyOf(datasets);
  }

  /**
   * Reads the manifest of {@code snapshot} (a full id, a unique prefix, or {@code latest}) under a
   * shared lock. Thread-safe; opens and closes the repository itself.
   *
   * @throws HoldfastException if there is no such snapshot, or it has no manifest (made by restic)
   * @throws WrongPasswordException if the repository's password opens no key
   */
  public static SnapshotManifest read(Repository repository, String snapshot) {
    char[] pw = repository.password();
    try (io.holdfast.internal.repo.Repository repo = io.holdfast.internal.repo.Repository.open(repository.store(), pw,
        io.holdfast.internal.repo.RepositoryOptions.defaults(), Clock.systemUTC());
        RepositoryLock lock = RepositoryLock.acquire(repo, false)) {
      io.holdfast.internal.repo.Repository.Snapshot snap = repo.findSnapshot(snapshot);
      JsonNode json = load(repo, repo.loadTree(Id.parse(snap.file().tree())));
      if (json == null) {
        throw new HoldfastException("snapshot " + snap.id().shortHex() + " has no " + BackupRun.META_DIR + "/"
            + BackupRun.MANIFEST + ": it was not made by Holdfast");
      }
      return of(snap.id().hex(), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of snapshot " + snapshot + ": " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(pw, '\0');
    }
  }

  /** The references of every dataset, keyed by dataset name. */
  public Map<String, Map<String, String>> externalReferences() {
    Map<String, Map<String, String>> out = new TreeMap<>();
    datasets.forEach(d -> out.put(d.name(), d.externalReferences()));
    return out;
  }

  static SnapshotManifest of(String snapshotId, JsonNode json) {
    List<DatasetEntry> ds = new ArrayList<>();
    for (JsonNode d : json.path("datasets")) {
      Map<String, String> refs = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = d.path("external_references").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        refs.put(e.getKey(), e.getValue().asText());
      }
      ds.add(new DatasetEntry(d.path("name").asText(), text(d, "provider"), text(d, "consistency"), refs));
    }
    return new SnapshotManifest(snapshotId, text(json, "plan"), text(json, "run_id"), text(json, "app_version"), ds);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** The parsed manifest under {@code root}, or null when the snapshot has none (a restic snapshot). */
  static JsonNode load(io.holdfast.internal.repo.Repository repo, Tree root) throws IOException {
    Node meta = root.find(BackupRun.META_DIR);
    if (meta == null || !meta.isDir() || meta.subtree() == null) {
      return null;
    }
    Node manifest = repo.loadTree(Id.parse(meta.subtree())).find(BackupRun.MANIFEST);
    if (manifest == null || !manifest.isFile()) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String blob : manifest.contentOrEmpty()) {
      out.write(repo.loadBlob(BlobType.DATA, Id.parse(blob)));
    }
    return Json.mapper().readTree(out.toByteArray());
  }
}
