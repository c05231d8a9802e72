package io.holdfast;

import io.holdfast.spi.Dataset;
import io.holdfast.spi.Snapshot;
import io.holdfast.spi.SnapshotProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A dataset that lives outside the repository, like an EBS volume: its snapshot has no files, only
 * the external references {@code refs} supplies at each take.
 */
record RefDataset(String name, Supplier<Map<String, String>> refs) implements Dataset {
  @Override
  public SnapshotProvider provider() {
    return new SnapshotProvider() {
      @Override
      public String name() {
        return "refs";
      }

      @Override
      public Capability capability() {
        return Capability.INSTANT;
      }

      @Override
      public Snapshot take() {
        Map<String, String> taken = Map.copyOf(refs.get());
        return new Snapshot() {
          @Override
          public Path root() {
            return null;
          }

          @Override
          public Map<String, String> externalReferences() {
            return taken;
          }
        };
      }
    };
  }
}
