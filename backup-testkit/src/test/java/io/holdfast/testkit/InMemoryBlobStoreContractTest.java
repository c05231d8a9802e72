package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.storage.BlobStore;
import io.holdfast.storage.InMemoryBlobStore;
import org.junit.jupiter.api.Test;

class InMemoryBlobStoreContractTest extends BlobStoreContract {

  @Override
  protected BlobStore newStore() {
    return new InMemoryBlobStore();
  }

  @Test
  void isNotDurableAndServesOneConnectionPerProcessor() {
    assertThat(store.capabilities().durable()).isFalse();
    assertThat(store.capabilities().connections())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void holdsAKeyAndAnotherKeyBelowIt() throws Exception {
    // Unlike a directory, the in-memory store has no reason to refuse this; the format never
    // does it, so the contract leaves it open.
    store.put("data/ab", new byte[1]);
    store.put("data/ab/cd", new byte[2]);

    assertThat(store.list("data/")).hasSize(2);
  }
}
