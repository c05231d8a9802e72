package io.holdfast.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyNamesTest {
  /** Pieces random keys are made of: separators, dots, escapes, markers, wide characters, long runs. */
  private static final String[] PARTS = {
      "/", "/", "/", ".", "..", "%", "%2E", "%25", "%~", "%+", "~", "+", "\0", "a", "b", "x.txt", "é", "日本",
      "\uD83D\uDE00", " ", "\t", "\\", ".holdfast-s3", "a".repeat(120), "é".repeat(70), "\uD83D\uDE00".repeat(40)};

  static String randomKey(Random r) {
    StringBuilder b = new StringBuilder();
    int n = 1 + r.nextInt(8);
    for (int i = 0; i < n; i++) {
      b.append(PARTS[r.nextInt(PARTS.length)]);
    }
    return b.toString();
  }

  static void assertValidName(String n) {
    assertThat(n).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..").doesNotContain("/").doesNotContain("\0");
    assertThat(KeyNames.bytes(n)).isLessThanOrEqualTo(255);
  }

  @Test
  void ordinaryKeysReadAsThemselves() {
    assertThat(KeyNames.names("photos/2024/cat.jpg")).containsExactly("photos", "2024", "cat.jpg");
    assertThat(KeyNames.names("a.b/c d/e-f_g~h+i")).containsExactly("a.b", "c d", "e-f_g~h+i");
  }

  @Test
  void awkwardKeysGetTheDocumentedNames() {
    assertThat(KeyNames.names("a//b")).containsExactly("a", "%", "b");
    assertThat(KeyNames.names("/lead")).containsExactly("%", "lead");
    assertThat(KeyNames.names("dir/")).containsExactly("dir", "%");
    assertThat(KeyNames.names("./x/../y")).containsExactly("%2E", "x", "%2E%2E", "y");
    assertThat(KeyNames.names("100%/a\0b")).containsExactly("100%25", "a%00b");
    assertThat(KeyNames.names(".holdfast-s3/x")).containsExactly("%2Eholdfast-s3", "x");
    assertThat(KeyNames.names("x/.holdfast-s3")).containsExactly("x", ".holdfast-s3");
    List<String> longName = KeyNames.names("d/" + "z".repeat(600));
    assertThat(longName).containsExactly("d", "z".repeat(253) + "%+", "z".repeat(253) + "%+", "z".repeat(94));
  }

  @Test
  void aLongNameIsNeverCutInsideACharacterOrAnEscape() {
    String key = "é".repeat(126) + "%" + "\uD83D\uDE00".repeat(100);
    List<String> names = KeyNames.names(key);
    names.forEach(KeyNamesTest::assertValidName);
    for (String n : names) {
      String body = n.endsWith("%+") ? n.substring(0, n.length() - 2) : n;
      assertThat(Character.isHighSurrogate(body.charAt(body.length() - 1))).isFalse();
      assertThat(body).doesNotEndWith("%").doesNotEndWith("%2");
    }
    assertThat(KeyNames.key(names)).isEqualTo(key);
  }

  @Test
  void randomKeysRoundTripThroughValidNames() {
    Random r = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      String key = randomKey(r);
      List<String> names = KeyNames.names(key);
      names.forEach(KeyNamesTest::assertValidName);
      assertThat(KeyNames.key(names)).as("key %s", key.replace("\0", "\\0")).isEqualTo(key);
    }
  }

  @Test
  void randomBucketsMapEveryKeyToItsOwnPathAndBack() {
    Random r = new Random(7);
    for (int round = 0; round < 200; round++) {
      Set<String> keys = new HashSet<>();
      int n = 1 + r.nextInt(60);
      for (int i = 0; i < n; i++) {
        String k = randomKey(r);
        keys.add(k);
        if (r.nextInt(4) == 0) {
          keys.add(k + "/" + randomKey(r)); // a key that is also a prefix
        }
      }
      BucketListing listing = new BucketListing();
      Map<String, Long> sizes = new HashMap<>();
      long s = 0;
      for (String k : keys) {
        sizes.put(k, ++s);
        listing.add(k, new BucketListing.ObjectFile("v" + s, "e", s, 0));
      }
      listing.freeze();
      List<String> seen = new ArrayList<>();
      listing.forEachObject((names, f) -> {
        names.forEach(KeyNamesTest::assertValidName);
        String key = KeyNames.key(names);
        assertThat(sizes.get(key)).as("key %s", key).isEqualTo(f.size());
        assertThat(listing.find(names)).isEqualTo(f);
        seen.add(key);
      });
      assertThat(seen).containsExactlyInAnyOrderElementsOf(keys);
      assertThat(listing.count()).isEqualTo(keys.size());
    }
  }

  @Test
  void aKeyThatIsAlsoAPrefixIsMarkedAsAFile() {
    BucketListing listing = new BucketListing();
    listing.add("a", new BucketListing.ObjectFile("1", "e", 1, 0));
    listing.add("a/b", new BucketListing.ObjectFile("2", "e", 2, 0));
    listing.freeze();
    assertThat(listing.root().children()).containsOnlyKeys("a", "a%~");
    assertThat(KeyNames.key(List.of("a%~"))).isEqualTo("a");
  }

  @Test
  void namesThatNoKeyCouldGiveAreRefused() {
    assertThatThrownBy(() -> KeyNames.key(List.of("a%zz"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyNames.key(List.of("a%~", "b"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyNames.key(List.of("a%+"))).isInstanceOf(IllegalArgumentException.class);
  }
}
