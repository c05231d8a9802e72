package io.holdfast.s3;

import io.holdfast.storage.BlobStore;
import io.holdfast.testkit.BlobStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The BlobStore contract on S3Proxy, in a bucket of its own per test, under a prefix. */
class S3BlobStoreContractTest extends BlobStoreContract {
  static InProcessS3 s3;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = InProcessS3.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    s3.close();
  }

  @Override
  protected BlobStore newStore() {
    return s3.store(s3.newBucket()).prefix("repo/one").build();
  }
}
