package io.holdfast;

import io.holdfast.internal.repo.RepositoryLock;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Holdfast snapshot's {@code .holdfast/manifest.json} records, for tools that act on the
 * data it references outside the repository (restoring EBS volumes): its plan, run, application
 * version and, per dataset, the provider and the external references (EBS snapshot ids).
 *
 * @param snapshotId the snapshot's full hex id
 * @param appVersion the recorded application version, or null
 * @param datasets in the order of the plan
 */
public record SnapshotManifest(String snapshotId, String plan, String runId, String appVersion,
    List<DatasetEntry> datasets) {

  /** One dataset of the manifest; {@code externalReferences} is empty for data inside the repository. */
  public record DatasetEntry(String name, String provider, Map<String, String> externalReferences) {
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
    try (io.holdfast.internal.repo.Repository repo = BackupRun.open(repository, Clock.systemUTC(), false);
        RepositoryLock lock = RepositoryLock.acquire(repo, false)) {
      io.holdfast.internal.repo.Repository.Snapshot snap = repo.findSnapshot(snapshot);
      io.holdfast.internal.repo.SnapshotManifest m = io.holdfast.internal.repo.SnapshotManifest.read(repo, snap)
          .orElseThrow(() -> new HoldfastException("snapshot " + snap.id().shortHex() + " has no "
              + io.holdfast.internal.repo.SnapshotManifest.DIR + "/" + io.holdfast.internal.repo.SnapshotManifest.FILE
              + ": it was not made by Holdfast"));
      return new SnapshotManifest(snap.id().hex(), m.plan(), m.runId(), m.appVersion(), m.datasets().stream()
          .map(d -> new DatasetEntry(d.name(), d.provider(), d.externalReferences())).toList());
    }
  }

  /** The references of every dataset, keyed by dataset name. */
  public Map<String, Map<String, String>> externalReferences() {
    Map<String, Map<String, String>> out = new TreeMap<>();
    datasets.forEach(d -> out.put(d.name(), d.externalReferences()));
    return out;
  }
}
