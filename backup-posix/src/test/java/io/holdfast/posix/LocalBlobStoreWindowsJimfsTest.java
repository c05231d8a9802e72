package io.holdfast.posix;

import com.google.common.jimfs.Configuration;

/** The local store on a file system whose separator is '\': keys must still use '/'. */
class LocalBlobStoreWindowsJimfsTest extends LocalBlobStoreOnJimfsContract {

  @Override
  protected Configuration configuration() {
    return Configuration.windows();
  }
}
