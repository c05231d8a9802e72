package io.holdfast.posix;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The local store on the real disk, where puts publish with hard links and fsync directories. */
class LocalBlobStoreDiskTest extends LocalBlobStoreContract {

  @TempDir Path temp;

  @Override
  protected Path newRoot() {
    return temp.resolve("repo");
  }
}
