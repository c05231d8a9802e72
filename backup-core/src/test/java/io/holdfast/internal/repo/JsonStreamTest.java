package io.holdfast.internal.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.RepositoryFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonStreamTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aTreeReadsAsDataBindingReadsIt() {
    Node file = new Node("a\nb", Node.FILE, 0644L, "2024-01-01T00:00:00.5Z", "2024-01-01T00:00:01Z",
        "2024-01-01T00:00:02+01:00", 1000, 1000, "alice", "staff", 42L, 2049L, 123L, 2L, null, null,
        List.of("aa", "bb"), null);
    Node empty = new Node("empty", Node.FILE, 0600L, null, null, null, 0, 0, null, null, 7L, null, 0L, 1L, null,
        null, List.of(), null);
    Node link = new Node("l", Node.SYMLINK, 0777L | GoMode.SYMLINK, null, null, null, 0, 0, null, null, null, null,
        null, null, "../x", null, null, null);
    Node dev = new Node("sda", Node.DEV, 0660L | GoMode.DEVICE, null, null, null, 0, 6, null, null, null, null, null,
        null, null, 2048L, null, null);
    Node dir = new Node("d", Node.DIR, 0755L | GoMode.DIR, null, null, null, 0, 0, null, null, null, null, null,
        null, null, null, null, "cc");
    Tree tree = Tree.sorted(List.of(file, empty, link, dev, dir));
    byte[] json = tree.toBytes();
    assertThat(JsonStream.tree(json, "t")).isEqualTo(Json.read(json, Tree.class, "t")).isEqualTo(tree);
  }

  @Test
  void unknownFieldsAreSkippedAndAbsentOrNullValuesAreNull() {
    byte[] json = utf8("{\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"extended_attributes\":[{\"name\":\"user.a\","
        + "\"value\":\"AQ==\"}],\"generic_attributes\":{\"w\":{\"k\":[1,2]}},\"uid\":null,\"size\":\"12\","
        + "\"content\":null,\"mode\":420.0}],\"later\":{\"nodes\":1}}\n");
    Node n = JsonStream.tree(json, "t").nodes().get(0);
    assertThat(n).isEqualTo(Json.read(json, Tree.class, "t").nodes().get(0));
    assertThat(n.size()).isEqualTo(12L);
    assertThat(n.mode()).isEqualTo(420L);
    assertThat(n.uid()).isZero();
    assertThat(n.content()).isNull();
    assertThat(JsonStream.tree(utf8("{\"nodes\":null}"), "t").nodes()).isEmpty();
    assertThat(JsonStream.tree(utf8("{}"), "t").nodes()).isEmpty();
  }

  @Test
  void anIndexReadsAsDataBindingReadsIt() {
    byte[] json = utf8("{\"supersedes\":[\"s1\"],\"packs\":[{\"id\":\"p\",\"blobs\":[{\"id\":\"b1\",\"type\":\"data\","
        + "\"offset\":0,\"length\":100,\"uncompressed_length\":300},{\"id\":\"b2\",\"type\":\"tree\",\"offset\":100,"
        + "\"length\":50,\"extra\":true}]},{\"id\":\"q\",\"blobs\":null}]}");
    IndexFile f = JsonStream.index(json, "i");
    assertThat(f).isEqualTo(Json.read(json, IndexFile.class, "i"));
    assertThat(f.packs().get(0).blobs().get(1)).isEqualTo(new IndexFile.Blob("b2", "tree", 100, 50, null));
    assertThat(JsonStream.index(utf8("{\"packs\":[]}"), "i").supersedes()).isNull();
  }

  @Test
  void malformedDocumentsAreFormatErrorsNamingTheDocument() {
    for (String bad : List.of("", "[]", "{\"nodes\":{}}", "{\"nodes\":[1]}", "{\"nodes\":[{\"size\":\"ten\"}]}",
        "{\"nodes\":[{\"name\":{}}]}", "{\"nodes\":[{\"name\":\"a\\\"b\"}", "{\"nodes\":[{\"name\":\"bad\\\\q\"}]}")) {
      assertThatThrownBy(() -> JsonStream.tree(utf8(bad), "tree 1234abcd")).as(bad)
          .isInstanceOf(RepositoryFormatException.class)
          .hasMessageStartingWith("tree 1234abcd: ");
    }
    for (String bad : List.of("", "{\"packs\":{}}", "{\"packs\":[{\"blobs\":[[]]}]}", "{\"packs\":[{\"id\":")) {
      assertThatThrownBy(() -> JsonStream.index(utf8(bad), "index/1234abcd")).as(bad)
          .isInstanceOf(RepositoryFormatException.class)
          .hasMessageStartingWith("index/1234abcd: ");
    }
  }
}
