package io.holdfast.posix;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local store on the real disk publishing by move, as it does on file systems without hard
 * links. Here a rename replaces an existing file, so only the store's own check keeps puts
 * write-once; jimfs cannot show that, because its move refuses an existing target by itself.
 */
class LocalBlobStoreDiskWithoutLinksTest extends LocalBlobStoreContract {

  @TempDir Path temp;

  @Override
  protected Path newRoot() {
    return temp.resolve("repo");
  }

  @Override
  protected LocalBlobStore open(Path root) throws IOException {
    return new LocalBlobStore(root, false);
  }
}
