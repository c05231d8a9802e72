package io.holdfast;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.storage.InMemoryBlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class ArchivesProgressTest {
  final InMemoryBlobStore store = new InMemoryBlobStore();
  final Repository repo = MemoryRepos.create(store);

  /** A tar of one directory {@code data} holding {@code files} files of {@code size} bytes each. */
  private static byte[] tar(int files, int size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.putArchiveEntry(new TarArchiveEntry("data/"));
      tar.closeArchiveEntry();
      for (int i = 0; i < files; i++) {
        byte[] content = ("file " + i + "\n").repeat(size / 7 + 1).substring(0, size).getBytes(StandardCharsets.US_ASCII);
        TarArchiveEntry e = new TarArchiveEntry("data/f" + i);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  @Test
  void anImportTellsItsListenerTheEntriesAndBytesItHasRead() throws IOException {
    RecordingListener heard = new RecordingListener();
    Archives.importInto(repo, "docs").listener(heard).readFrom(new ByteArrayInputStream(tar(5, 1000)));

    assertThat(heard.steps).singleElement().asString().startsWith("repository: import: reading");
    assertThat(heard.done).hasSize(6);
    assertThat(heard.done.get(heard.done.size() - 1)).isEqualTo(new RecordingListener.Done(6, 5000));
  }

  @Test
  void anExportTellsItsListenerTheEntriesAndBytesItHasWritten() throws IOException {
    Archives.importInto(repo, "docs").readFrom(new ByteArrayInputStream(tar(5, 1000)));
    RecordingListener heard = new RecordingListener();
    Archives.export(repo).plan("docs").path("data").listener(heard).writeTo(new ByteArrayOutputStream());

    assertThat(heard.steps).containsExactly("repository: export: writing entries");
    assertThat(heard.most()).isEqualTo(new RecordingListener.Done(6, 5000));
  }

  @Test
  void aListenerThatThrowsDoesNotBreakAnImport() throws IOException {
    BackupListener broken = new BackupListener() {
      @Override
      public void progress(String plan, long files, long bytes) {
        throw new IllegalStateException("listener bug");
      }
    };
    Archives.ImportReport report = Archives.importInto(repo, "docs").listener(broken)
        .readFrom(new ByteArrayInputStream(tar(2, 10)));
    assertThat(MemoryRepos.snapshotIds(store)).containsExactly(report.snapshotId());
  }
}
