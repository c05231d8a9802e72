package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.storage.BlobStore;
import io.holdfast.storage.InMemoryBlobStore;
import io.holdfast.testkit.FaultyBlobStore.Operation;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FaultyBlobStoreTest {

  private final InMemoryBlobStore backing = new InMemoryBlobStore();
  private final FaultyBlobStore faulty = new FaultyBlobStore(backing);

  /** Unarmed, the wrapper must be an exact stand-in for the store it wraps. */
  @Nested
  class Unarmed extends BlobStoreContract {
    @Override
    protected BlobStore newStore() {
      return new FaultyBlobStore(new InMemoryBlobStore());
    }
  }

  @Test
  void failsOnlyTheNthPutFromNowAndWritesNothingForIt() throws IOException {
    faulty.put("snapshots/0", new byte[1]);
    faulty.failNthPut(2);

    faulty.put("snapshots/1", new byte[1]);
    assertThatThrownBy(() -> faulty.put("snapshots/2", new byte[1]))
        .isExactlyInstanceOf(IOException.class)
        .hasMessageStartingWith("injected fault")
        .hasMessageContaining("snapshots/2");
    faulty.put("snapshots/3", new byte[1]);

    assertThat(backing.list("snapshots/")).hasSize(3);
    assertThatThrownBy(() -> backing.get("snapshots/2")).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void failsEveryPutUnderAPrefixUntilDisarmed() throws IOException {
    faulty.failPutsStartingWith("index/");

    assertThatThrownBy(() -> faulty.put("index/1", new byte[1])).hasMessageContaining("index/1");
    assertThatThrownBy(() -> faulty.put("index/2", new byte[1])).hasMessageContaining("index/2");
    faulty.put("data/ab/ab01", new byte[1]);
    faulty.disarm();
    faulty.put("index/1", new byte[1]);

    assertThat(backing.list("")).hasSize(2);
  }

  @Test
  void countsEveryCallIncludingFailedOnes() throws IOException {
    faulty.failNthPut(1);
    assertThatThrownBy(() -> faulty.put("config", new byte[3])).isInstanceOf(IOException.class);
    faulty.put("config", new byte[3]);
    faulty.get("config");
    faulty.get("config", 0, 1);
    assertThatThrownBy(() -> faulty.stat("missing")).isInstanceOf(NoSuchFileException.class);
    faulty.list("");
    faulty.delete("config");

    assertThat(faulty.count(Operation.PUT)).isEqualTo(2);
    assertThat(faulty.count(Operation.GET)).isEqualTo(2);
    assertThat(faulty.count(Operation.STAT)).isEqualTo(1);
    assertThat(faulty.count(Operation.LIST)).isEqualTo(1);
    assertThat(faulty.count(Operation.DELETE)).isEqualTo(1);
  }

  @Test
  void rejectsAnNthPutBelowOne() {
    assertThatThrownBy(() -> faulty.failNthPut(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closingTheWrapperClosesTheStoreItWraps() throws IOException {
    AtomicBoolean closed = new AtomicBoolean();
    BlobStore recorder =
        (BlobStore)
            Proxy.newProxyInstance(
                BlobStore.class.getClassLoader(),
                new Class<?>[] {BlobStore.class},
                (proxy, method, args) -> {
                  closed.compareAndSet(false, method.getName().equals("close"));
                  return null;
                });

    new FaultyBlobStore(recorder).close();

    assertThat(closed).isTrue();
  }
}
