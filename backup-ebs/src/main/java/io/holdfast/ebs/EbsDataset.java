package io.holdfast.ebs;

import io.holdfast.spi.Dataset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A dataset that lives on EBS volumes, frozen by an {@link EbsSnapshotProvider}: in the Holdfast
 * snapshot it is an empty directory, and its EBS snapshots are recorded in the manifest as
 * external references. Put the data that does belong in the repository (configuration, metadata
 * the volume snapshots do not carry) in other datasets of the same plan: they are frozen in the
 * same hold. Immutable and thread-safe.
 */
public record EbsDataset(String name, EbsSnapshotProvider provider) implements Dataset {
  public EbsDataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("kind", "ebs");
    if (provider.instanceId() != null) {
      out.put("instance", provider.instanceId());
      out.put("devices", String.join(",", provider.devices()));
    } else {
      out.put("volumes", String.join(",", provider.volumeIds()));
    }
    return out;
  }
}
