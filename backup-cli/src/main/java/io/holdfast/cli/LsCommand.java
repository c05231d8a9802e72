package io.holdfast.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.holdfast.HoldfastException;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.Tree;
import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code holdfast ls}: the paths in a snapshot, one per line, depth first in tree order, as
 * {@code restic ls} prints them ({@code /dataset/dir/file}). Streams: memory does not grow with
 * the size of the snapshot, with {@code --json} too.
 */
@Command(name = "ls",
    description = "List the files in a snapshot, everything under PATH (default: all).")
final class LsCommand implements Callable<Integer> {
  private final HoldfastCommand root;

  @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id (or a unique prefix), or latest.")
  String snapshot;

  @Parameters(index = "1", arity = "0..1", paramLabel = "PATH",
      description = "A directory or file in the snapshot, e.g. /config/app.yml.")
  String path;

  LsCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** One entry in {@code --json} output. */
  record Entry(String path, String name, String type, Long size, Long mode, String mtime) {
    static Entry of(String path, Node n) {
      return new Entry(path, n.name(), n.type(), n.isFile() ? n.size() : null, n.mode(), n.mtime());
    }
  }

  /** Receives each entry as it is found. */
  private interface Sink {
    void entry(String path, Node node) throws IOException;
  }

  @Override
  public Integer call() throws IOException {
    List<String> parts = new ArrayList<>();
    for (String p : (path == null ? "" : path).split("/")) {
      if (!p.isEmpty() && !p.equals(".")) {
        parts.add(p);
      }
    }
    try (LockedRepository r = root.openLocked()) {
      Repository repo = r.repo();
      Repository.Snapshot snap = repo.findSnapshot(snapshot);
      String filter = parts.isEmpty() ? "" : " filtered by [/" + String.join("/", parts) + "]";
      if (root.json) {
        try (JsonGenerator g = root.mapper().createGenerator(root.out)) {
          g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
          g.writeStartObject();
          g.writeObjectField("snapshot", SnapshotsCommand.SnapshotSummary.of(snap));
          g.writeStringField("path", "/" + String.join("/", parts));
          g.writeArrayFieldStart("nodes");
          walk(repo, snap, parts, (p, n) -> g.writeObject(Entry.of(p, n)));
          g.writeEndArray();
          g.writeEndObject();
        }
        root.out.println();
      } else {
        root.say("snapshot " + snap.id().shortHex() + " of " + SnapshotsCommand.orEmpty(snap.file().paths())
            + " at " + snap.time().withZoneSameInstant(ZoneId.systemDefault()).format(SnapshotsCommand.TIME)
            + filter + ":");
        walk(repo, snap, parts, (p, n) -> root.out.println(p));
      }
    }
    root.out.flush();
    return ExitCode.OK.code;
  }

  /** Finds the entry {@code parts} names, then reports it and everything under it. */
  private static void walk(Repository repo, Repository.Snapshot snap, List<String> parts, Sink sink) throws IOException {
    Tree tree = repo.loadTree(Id.parse(snap.file().tree()));
    if (parts.isEmpty()) {
      list(repo, tree, "", sink);
      return;
    }
    StringBuilder at = new StringBuilder();
    Node node = null;
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        if (!node.isDir() || node.subtree() == null) {
          throw new HoldfastException(at + " in snapshot " + snap.id().shortHex() + " is not a directory");
        }
        tree = repo.loadTree(Id.parse(node.subtree()));
      }
      node = tree.find(parts.get(i));
      at.append('/').append(parts.get(i));
      if (node == null) {
        throw new HoldfastException("there is no " + at + " in snapshot " + snap.id().shortHex());
      }
    }
    sink.entry(at.toString(), node);
    if (node.isDir() && node.subtree() != null) {
      list(repo, repo.loadTree(Id.parse(node.subtree())), at.toString(), sink);
    }
  }

  private static void list(Repository repo, Tree tree, String prefix, Sink sink) throws IOException {
    for (Node n : tree.nodes()) {
      String p = prefix + "/" + n.name();
      sink.entry(p, n);
      if (n.isDir() && n.subtree() != null) {
        list(repo, repo.loadTree(Id.parse(n.subtree())), p, sink);
      }
    }
  }
}
