package io.holdfast.internal.repo;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who and where this process is, as recorded in snapshots and locks; uid and gid are -1 when unknown. */
public record Host(String hostname, String username, long uid, long gid, long pid) {
  private static final Host CURRENT = detect();

  public static Host current() {
    return CURRENT;
  }

  private static Host detect() {
    long uid = -1;
    long gid = -1;
    try {
      // /proc/self is owned by the process's own uid and gid: no native call needed.
      uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
      gid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // not Linux: leave unknown
    }
    return new Host(detectHostname(), System.getProperty("user.name", ""), uid, gid,
        ProcessHandle.current().pid());
  }

  private static String detectHostname() {
    try {
      Path etc = Path.of("/etc/hostname");
      if (Files.isReadable(etc)) {
        String name = Files.readString(etc).trim();
        if (!name.isEmpty()) {
          return name;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
