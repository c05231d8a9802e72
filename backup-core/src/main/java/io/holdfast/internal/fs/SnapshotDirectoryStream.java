package io.holdfast.internal.fs;

import io.holdfast.internal.repo.Node;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The entries of one directory of a snapshot, in restic's order (by the UTF-8 bytes of the names),
 * as paths resolved against the directory, passed through a filter. As {@link DirectoryStream}
 * requires, one iterator only; none after close, and a closed stream's iterator ends. Not
 * thread-safe, like the JDK's own.
 */
final class SnapshotDirectoryStream implements DirectoryStream<Path> {
  private final SnapshotPath dir;
  private final List<Node> entries;
  private final Filter<? super Path> filter;
  private boolean closed;
  private boolean iterated;

  SnapshotDirectoryStream(SnapshotPath dir, List<Node> entries, Filter<? super Path> filter) {
    this.dir = dir;
    this.entries = entries;
    this.filter = filter;
  }

  @Override
  public Iterator<Path> iterator() {
    if (closed) {
      throw new IllegalStateException("directory stream of " + dir + " is closed");
    }
    if (iterated) {
      throw new IllegalStateException("directory stream of " + dir + " already gave its iterator");
    }
    iterated = true;
    return new Iterator<>() {
      private int next;
      private Path ahead;

      @Override
      public boolean hasNext() {
        while (ahead == null && !closed && next < entries.size()) {
          Path p = dir.resolve(entries.get(next++).name());
          try {
            if (filter == null || filter.accept(p)) {
              ahead = p;
            }
          } catch (IOException e) {
            throw new DirectoryIteratorException(e);
          }
        }
        return ahead != null;
      }

      @Override
      public Path next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Path p = ahead;
        ahead = null;
        return p;
      }
    };
  }

  @Override
  public void close() {
    closed = true;
  }
}
