package io.holdfast.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobKeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"config", "keys/abc", "data/ab/abcdef", "a/b/c/d", "snap.shot", "x-y_z"})
  void acceptsTheRepositoryLayoutsKeys(String key) {
    assertThat(BlobKeys.requireValidKey(key)).isSameAs(key);
  }

  @Test
  void namesTheKeyAndTheBrokenRule() {
    assertThatThrownBy(() -> BlobKeys.requireValidKey("data//x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("malformed key \"data//x\": has an empty segment");
    assertThatThrownBy(() -> BlobKeys.requireValidKey("data/../x"))
        .hasMessageContaining("starting with '.'");
    assertThatThrownBy(() -> BlobKeys.requireValidKey("/x")).hasMessageContaining("starts with '/'");
  }

  @Test
  void showsANulInAMessageAsAnEscape() {
    assertThatThrownBy(() -> BlobKeys.requireValidKey("a\u0000b")).hasMessageContaining("a\\0b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "data/", "data/a", "data/ab/", "snap", "snap.sh"})
  void acceptsAnyPrefixThatSomeKeyStartsWith(String prefix) {
    assertThat(BlobKeys.requireValidPrefix(prefix)).isSameAs(prefix);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "data//", "../", "data/./", "data/.", "a\\"})
  void rejectsAPrefixNoKeyCanStartWith(String prefix) {
    assertThatThrownBy(() -> BlobKeys.requireValidPrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed prefix");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> BlobKeys.requireValidKey(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> BlobKeys.requireValidPrefix(null))
        .isInstanceOf(NullPointerException.class);
  }
}
