package io.holdfast.posix;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/** The local store's tests on a fresh jimfs file system per test, configured by the subclass. */
abstract class LocalBlobStoreOnJimfsContract extends LocalBlobStoreContract {

  private FileSystem fileSystem;

  /** The file system to test on. */
  protected abstract Configuration configuration();

  @Override
  protected final Path newRoot() {
    fileSystem = Jimfs.newFileSystem(configuration());
    return fileSystem.getRootDirectories().iterator().next().resolve("repo");
  }

  @AfterEach
  void closeFileSystem() throws IOException {
    fileSystem.close();
  }
}
