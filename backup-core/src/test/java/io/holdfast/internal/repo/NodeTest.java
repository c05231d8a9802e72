package io.holdfast.internal.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeTest {
  private static final Node BASE = new Node("f", Node.FILE, 0644L, "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z",
      "2024-01-01T00:00:02Z", 1, 2, "u", "g", 3L, 4L, 5L, 6L, "t", 7L, List.of("a"), "s");

  @Test
  void equalNodesAreEqualAndHashAlike() {
    Node same = new Node("f", Node.FILE, 0644L, "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z",
        "2024-01-01T00:00:02Z", 1, 2, "u", "g", 3L, 4L, 5L, 6L, "t", 7L, List.of("a"), "s");
    assertThat(same).isEqualTo(BASE).hasSameHashCodeAs(BASE);
  }

  @Test
  void nodesDifferingInAnyOneComponentAreNotEqual() throws Exception {
    RecordComponent[] components = Node.class.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    for (int changed = 0; changed < components.length; changed++) {
      Object[] args = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        args[i] = components[i].getAccessor().invoke(BASE);
      }
      args[changed] = other(args[changed]);
      Node n = Node.class.getDeclaredConstructor(types).newInstance(args);
      assertThat(n).as(components[changed].getName()).isNotEqualTo(BASE);
      assertThat(BASE).as(components[changed].getName()).isNotEqualTo(n);
    }
  }

  private static Object other(Object v) {
    if (v instanceof String s) {
      return s + "x";
    }
    if (v instanceof Long l) {
      return l + 1;
    }
    if (v instanceof List<?> l) {
      return List.of();
    }
    throw new IllegalArgumentException("no other value for " + v);
  }
}
