package io.holdfast.internal.repo;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.holdfast.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A directory listing: nodes sorted by the UTF-8 bytes of their names, as restic requires. */
public record Tree(@JsonProperty("nodes") List<Node> nodes) {

  /** Orders names as Go compares strings: by their UTF-8 bytes. */
  public static final Comparator<String> NAME_ORDER =
      (a, b) -> Arrays.compareUnsigned(
          a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  /** A tree of {@code nodes} in restic's order. */
  public static Tree sorted(List<Node> nodes) {
    List<Node> copy = new ArrayList<>(nodes);
    copy.sort(Comparator.comparing(Node::name, NAME_ORDER));
    return new Tree(List.copyOf(copy));
  }

  /** The serialised form: JSON followed by a newline, as restic stores trees. */
  public byte[] toBytes() {
    byte[] json = Json.write(this);
    byte[] out = Arrays.copyOf(json, json.length + 1);
    out[json.length] = '\n';
    return out;
  }

  /** Reads a tree blob's JSON, leniently as restic does (see {@link JsonStream}). */
  public static Tree parse(byte[] bytes, Id id) {
    return JsonStream.tree(bytes, "tree " + id.shortHex());
  }

  /** The node named {@code name}, or null. */
  public Node find(String name) {
    for (Node n : nodes) {
      if (n.name().equals(name)) {
        return n;
      }
    }
    return null;
  }

  /**
   * Rejects names that could step outside a directory when restored: empty, ".", "..", containing
   * '/' or NUL, and duplicates.
   */
  public void checkNames(Id id) {
    Set<String> seen = new HashSet<>();
    for (Node n : nodes) {
      String name = n.name();
      if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
          || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
        throw new IntegrityException("tree " + id.shortHex() + " holds an unsafe name: '" + name + "'");
      }
      if (!seen.add(name)) {
        throw new IntegrityException("tree " + id.shortHex() + " holds '" + name + "' twice");
      }
    }
  }
}
