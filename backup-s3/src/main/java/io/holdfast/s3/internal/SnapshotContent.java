package io.holdfast.s3.internal;

import io.holdfast.HoldfastException;
import io.holdfast.internal.repo.BlobType;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Node;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Files of one dataset directory in a snapshot: found by path, read blob by blob (each checked
 * against its hash by the repository). Recently used trees are cached. Thread-safe.
 */
public final class SnapshotContent {
  private final Repository repo;
  private final Id datasetTree;
  private final Map<Id, Tree> trees = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Id, Tree> eldest) {
      return size() > 256;
    }
  };

  public SnapshotContent(Repository repo, Id datasetTree) {
    this.repo = repo;
    this.datasetTree = datasetTree;
  }

  private Tree tree(Id id) {
    synchronized (trees) {
      Tree t = trees.get(id);
      if (t != null) {
        return t;
      }
    }
    Tree t = repo.loadTree(id);
    synchronized (trees) {
      trees.put(id, t);
    }
    return t;
  }

  /** The file at {@code path} ('/'-separated, relative to the dataset), or null. */
  public Node file(String path) {
    Id dir = datasetTree;
    List<String> names = List.of(path.split("/"));
    for (int i = 0; i < names.size(); i++) {
      Node n = tree(dir).find(names.get(i));
      if (n == null) {
        return null;
      }
      if (i == names.size() - 1) {
        return n.isFile() ? n : null;
      }
      if (!n.isDir() || n.subtree() == null) {
        return null;
      }
      dir = Id.parse(n.subtree());
    }
    return null;
  }

  /** The file's bytes as a stream, one blob in memory at a time. */
  public InputStream open(Node file) {
    List<String> blobs = file.contentOrEmpty();
    return new InputStream() {
      private int next;
      private byte[] blob = new byte[0];
      private int pos;

      private boolean fill() {
        while (pos >= blob.length) {
          if (next >= blobs.size()) {
            return false;
          }
          blob = repo.loadBlob(BlobType.DATA, Id.parse(blobs.get(next++)));
          pos = 0;
        }
        return true;
      }

      @Override
      public int read() {
        return fill() ? blob[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        try {
          if (!fill()) {
            return -1;
          }
        } catch (HoldfastException e) {
          throw new IOException("cannot read " + file.name() + " from the repository: " + e.getMessage(), e);
        }
        int n = Math.min(len, blob.length - pos);
        System.arraycopy(blob, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }
}
