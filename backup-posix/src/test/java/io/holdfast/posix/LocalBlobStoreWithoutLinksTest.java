package io.holdfast.posix;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Feature;
import java.nio.file.Files;

/**
 * The local store where the file system has no hard links at all ({@link Files#createLink} throws
 * {@link UnsupportedOperationException}), so puts publish by checked atomic move.
 */
class LocalBlobStoreWithoutLinksTest extends LocalBlobStoreOnJimfsContract {

  @Override
  protected Configuration configuration() {
    return Configuration.unix().toBuilder()
        .setSupportedFeatures(Feature.FILE_CHANNEL, Feature.SYMBOLIC_LINKS)
        .build();
  }
}
