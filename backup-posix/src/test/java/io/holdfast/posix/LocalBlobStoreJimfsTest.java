package io.holdfast.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The local store on an in-memory Unix file system (hard links available). */
class LocalBlobStoreJimfsTest extends LocalBlobStoreOnJimfsContract {

  @Override
  protected Configuration configuration() {
    return Configuration.unix();
  }

  @Test
  void aPutThatRunsOutOfSpaceLeavesNoTempFile() throws IOException {
    Configuration small = Configuration.unix().toBuilder().setMaxSize(1 << 20).build();
    try (FileSystem tiny = Jimfs.newFileSystem(small)) {
      Path tinyRoot = tiny.getPath("/repo");
      LocalBlobStore full = new LocalBlobStore(tinyRoot);

      assertThatThrownBy(() -> full.put(dataKey(1), bytes(2 << 20, 1)))
          .isInstanceOf(IOException.class);

      assertThat(filesBelow(tinyRoot)).isEmpty();
      assertThat(full.list("")).isEmpty();
      full.put(dataKey(2), bytes(1000, 2));
      assertThat(full.list("")).hasSize(1);
    }
  }
}
