package io.holdfast.internal.archive;

import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Tree;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The directory structure of an import, held in memory until the archive has been read: every
 * entry's node (files with their content ids already stored), directories as maps sorted as
 * restic requires. Trees are built from it bottom-up at the end. Memory is about half a KiB per
 * entry (plus 65 bytes per content blob), which the import's entry limit bounds.
 */
final class Skeleton {
  /** A symlink chain longer than this is a loop, as for Linux's ELOOP. */
  private static final int MAX_HOPS = 40;

  private final Dir root = new Dir(null);
  private final List<List<String>> links = new ArrayList<>();

  private static final class Dir {
    Node meta;
    boolean explicit;
    final TreeMap<String, Object> children = new TreeMap<>(Tree.NAME_ORDER);

    Dir(Node meta) {
      this.meta = meta;
    }
  }

  /**
   * Adds the node at {@code parts} (its name is the last part); missing parent directories are
   * made with {@code implicitDir}'s metadata, and take an explicit directory entry's later.
   *
   * @throws IllegalArgumentException naming {@code entry} if the path is taken, or a parent is not
   *     a directory
   */
  void put(List<String> parts, Node node, String entry, Function<String, Node> implicitDir) {
    Dir dir = root;
    for (int i = 0; i < parts.size() - 1; i++) {
      Object child = dir.children.get(parts.get(i));
      if (child == null) {
        Dir made = new Dir(implicitDir.apply(parts.get(i)));
        dir.children.put(parts.get(i), made);
        dir = made;
      } else if (child instanceof Dir d) {
        dir = d;
      } else {
        throw new IllegalArgumentException("archive entry '" + entry + "': "
            + String.join("/", parts.subList(0, i + 1)) + " is a " + ((Node) child).type() + ", not a directory");
      }
    }
    String name = parts.get(parts.size() - 1);
    Object existing = dir.children.get(name);
    if (node.isDir()) {
      if (existing == null) {
        Dir d = new Dir(node);
        d.explicit = true;
        dir.children.put(name, d);
        return;
      }
      if (existing instanceof Dir d && !d.explicit) {
        d.meta = node;
        d.explicit = true;
        return;
      }
    } else if (existing == null) {
      dir.children.put(name, node);
      if (node.isSymlink()) {
        links.add(List.copyOf(parts));
      }
      return;
    }
    throw new IllegalArgumentException("archive entry '" + entry + "': " + String.join("/", parts)
        + " appears twice in the archive");
  }

  /** Puts {@code node} in place of the file node at {@code parts}, which must be there. */
  void replace(List<String> parts, Node node) {
    if (!(get(parts.subList(0, parts.size() - 1)) instanceof Dir d)
        || !(d.children.get(parts.get(parts.size() - 1)) instanceof Node old) || !old.isFile()) {
      throw new IllegalStateException("no file at " + String.join("/", parts));
    }
    d.children.put(parts.get(parts.size() - 1), node);
  }

  /** The file node at {@code parts}, or null if there is none (yet). */
  Node file(List<String> parts) {
    Object o = get(parts);
    return o instanceof Node n && n.isFile() ? n : null;
  }

  private Object get(List<String> parts) {
    Object at = root;
    for (String p : parts) {
      if (!(at instanceof Dir d)) {
        return null;
      }
      at = d.children.get(p);
      if (at == null) {
        return null;
      }
    }
    return at;
  }

  /** The names at the top, in tree order. */
  List<String> topNames() {
    return List.copyOf(root.children.keySet());
  }

  /**
   * Checks that every symlink, followed through the other symlinks of the archive, stays inside
   * the first {@code rootDepth} parts of its path (the archive's root).
   *
   * @throws IllegalArgumentException naming the first link that is absolute or leads out
   */
  void checkLinks(int rootDepth) {
    for (List<String> link : links) {
      Node n = (Node) get(link);
      String why = escape(link.subList(0, link.size() - 1), n.linkTarget(), rootDepth);
      if (why != null) {
        throw new IllegalArgumentException("archive entry '" + String.join("/", link.subList(rootDepth, link.size()))
            + "' is a symlink to '" + n.linkTarget() + "', which " + why
            + "; such links are refused unless the import allows links outside the archive");
      }
    }
  }

  /** Why following {@code target} from {@code dir} leaves the root, or null if it stays inside. */
  private String escape(List<String> dir, String target, int rootDepth) {
    if (target == null || target.startsWith("/")) {
      return "is absolute";
    }
    List<String> at = new ArrayList<>(dir);
    Deque<String> todo = new ArrayDeque<>(Arrays.asList(target.split("/")));
    int hops = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (at.size() <= rootDepth) {
          return "leads out of the archive";
        }
        at.remove(at.size() - 1);
        continue;
      }
      at.add(c);
      if (get(at) instanceof Node n && n.isSymlink()) {
        if (++hops > MAX_HOPS) {
          return "goes through more than " + MAX_HOPS + " symlinks";
        }
        if (n.linkTarget() == null || n.linkTarget().startsWith("/")) {
          return "goes through the absolute symlink " + String.join("/", at);
        }
        at.remove(at.size() - 1);
        String[] more = n.linkTarget().split("/");
        for (int i = more.length - 1; i >= 0; i--) {
          todo.addFirst(more[i]);
        }
      }
    }
    return null;
  }

  /** Saves every directory's tree, deepest first, with {@code save}; returns the top-level nodes. */
  List<Node> build(Function<Tree, Id> save) {
    return nodes(root, save);
  }

  private List<Node> nodes(Dir dir, Function<Tree, Id> save) {
    List<Node> out = new ArrayList<>(dir.children.size());
    for (Object child : dir.children.values()) {
      if (child instanceof Dir d) {
        out.add(d.meta.withSubtree(save.apply(Tree.sorted(nodes(d, save))).hex()));
      } else {
        out.add((Node) child);
      }
    }
    return out;
  }

}
