package io.holdfast.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.internal.repo.DeviceNumbers;
import io.holdfast.internal.repo.GoMode;
import io.holdfast.internal.repo.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarSinkTest {
  @TempDir Path tmp;

  private static Node file(String name, long size, long uid, String user, String mtime) {
    return new Node(name, Node.FILE, 0640L, mtime, mtime, mtime, uid, 7, user, "grüppe", null, null, size, null, null,
        null, List.of(), null);
  }

  @Test
  void sizesPast8GiBLargeIdsLongNamesAndNanosecondsSurviveInPaxHeaders() throws Exception {
    String longName = "dir/" + "ü".repeat(80) + "/" + "x".repeat(150);
    long size = 9L << 30;
    Node node = file("x", size, 3_000_000, "a-user-name-much-longer-than-thirty-two-bytes", "2021-03-04T05:06:07.123456789Z");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarSink sink = new TarSink(out);
    sink.begin(longName, node);
    sink.flush(); // the headers only: a 9 GiB file's data costs nothing here
    byte[] headers = out.toByteArray();
    assertThat(headers.length).isGreaterThanOrEqualTo(3 * 512);

    TarArchiveEntry e = new TarArchiveInputStream(new ByteArrayInputStream(headers), StandardCharsets.UTF_8.name())
        .getNextEntry();
    assertThat(e.getName()).isEqualTo(longName);
    assertThat(e.getSize()).isEqualTo(size);
    assertThat(e.getLongUserId()).isEqualTo(3_000_000);
    assertThat(e.getUserName()).isEqualTo("a-user-name-much-longer-than-thirty-two-bytes");
    assertThat(e.getGroupName()).isEqualTo("grüppe");
    assertThat(e.getLastModifiedTime().toInstant()).isEqualTo(Instant.parse("2021-03-04T05:06:07.123456789Z"));
    assertThat(e.getMode()).isEqualTo(0640);

    // GNU tar reads the same headers (and then finds the data missing)
    Path archive = tmp.resolve("big.tar");
    Files.write(archive, headers);
    Process p = new ProcessBuilder("tar", "--full-time", "--numeric-owner", "-tvf", archive.toString())
        .redirectErrorStream(true).start();
    String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    assertThat(listing).contains("3000000/7", Long.toString(size), "2021-03-04", longName);
  }

  @Test
  void timesBeforeTheEpochAndDevicesAreKept() throws Exception {
    Node dev = new Node("tty", Node.CHARDEV, 0620L | GoMode.DEVICE | GoMode.CHAR_DEVICE,
        "1969-07-20T20:17:40.5Z", null, null, 0, 5, null, null, null, null, null, null, null,
        DeviceNumbers.of(4, 300), null, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarSink sink = new TarSink(out);
    sink.begin("dev/tty", dev);
    sink.end();
    sink.finish();
    TarArchiveEntry e = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray())).getNextEntry();
    assertThat(e.isCharacterDevice()).isTrue();
    assertThat(e.getDevMajor()).isEqualTo(4);
    assertThat(e.getDevMinor()).isEqualTo(300);
    assertThat(e.getLastModifiedTime().toInstant()).isEqualTo(Instant.parse("1969-07-20T20:17:40.5Z"));
    assertThat(DeviceNumbers.major(DeviceNumbers.of(4, 300))).isEqualTo(4);
    assertThat(DeviceNumbers.minor(DeviceNumbers.of(259, 1 << 19))).isEqualTo(1 << 19);
  }

  @Test
  void paxRecordLengthsCountTheirOwnDigits() {
    assertThat(new String(TarSink.records(java.util.Map.of("path", "a".repeat(91))), StandardCharsets.UTF_8))
        .isEqualTo("101 path=" + "a".repeat(91) + "\n");
    assertThat(new String(TarSink.records(java.util.Map.of("k", "v")), StandardCharsets.UTF_8)).isEqualTo("6 k=v\n");
  }
}
