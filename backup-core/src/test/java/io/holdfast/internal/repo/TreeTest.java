package io.holdfast.internal.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeTest {
  @Test
  void treeJsonHoldsTheNodeFieldsAndNotTheTypeAccessors() {
    Node dir = new Node("d", Node.DIR, 0755L | GoMode.DIR, null, null, null, 0, 0, null, null, null, null, null,
        null, null, null, null, "ab");
    String json = new String(new Tree(List.of(dir)).toBytes(), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"nodes\":[{\"name\":\"d\",\"type\":\"dir\",\"mode\":" + (0755L | GoMode.DIR)
        + ",\"uid\":0,\"gid\":0,\"subtree\":\"ab\"}]}\n");
  }
}
