package io.holdfast.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A small ext4 (or XFS) filesystem on a loop device, mounted under a directory, for tests that
 * need a real kernel filesystem. {@link #close()} thaws it first, then unmounts and detaches it,
 * and never throws.
 */
final class FreezableLoopFilesystem implements AutoCloseable {
  private static final Duration T = Duration.ofSeconds(60);
  private static final CommandRunner SH = CommandRunner.system();

  private final Path mount;
  private final String device;

  private FreezableLoopFilesystem(Path mount, String device) {
    this.mount = mount;
    this.device = device;
  }

  Path mount() {
    return mount;
  }

  /**
   * Makes and mounts one under {@code dir}, or says why it cannot (not root, a tool missing, loop
   * devices denied).
   */
  static Result create(Path dir) {
    if (!System.getProperty("os.name").equals("Linux") || !System.getProperty("user.name").equals("root")) {
      return new Result(null, "not root on Linux");
    }
    Optional<String> mkfs = Optional.empty();
    for (String candidate : List.of("mkfs.ext4", "mkfs.xfs")) {
      if (onPath(candidate)) {
        mkfs = Optional.of(candidate);
        break;
      }
    }
    for (String tool : List.of("fsfreeze", "losetup", "mount", "umount", "setsid", "truncate")) {
      if (!onPath(tool)) {
        return new Result(null, tool + " not installed");
      }
    }
    if (mkfs.isEmpty()) {
      return new Result(null, "neither mkfs.ext4 nor mkfs.xfs installed");
    }
    try {
      Path image = dir.resolve("fs.img");
      Path mount = Files.createDirectories(dir.resolve("mnt"));
      boolean xfs = mkfs.get().equals("mkfs.xfs");
      SH.check(List.of("truncate", "-s", xfs ? "320M" : "32M", image.toString()), T);
      SH.check(xfs ? List.of("mkfs.xfs", "-q", image.toString()) : List.of("mkfs.ext4", "-q", image.toString()), T);
      CommandRunner.Result loop = SH.run(List.of("losetup", "--find", "--show", image.toString()), T);
      if (!loop.ok()) {
        return new Result(null, "losetup denied: " + loop.output().strip());
      }
      String device = loop.output().strip();
      CommandRunner.Result mounted = SH.run(List.of("mount", device, mount.toString()), T);
      if (!mounted.ok()) {
        SH.run(List.of("losetup", "-d", device), T);
        return new Result(null, "mount of a loop device denied: " + mounted.output().strip());
      }
      return new Result(new FreezableLoopFilesystem(mount, device), null);
    } catch (IOException e) {
      return new Result(null, "loop filesystem setup failed: " + e.getMessage());
    }
  }

  /** Either a filesystem or why there is none. */
  record Result(FreezableLoopFilesystem fs, String missing) {}

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
  }

  @Override
  public void close() {
    quietly(List.of("fsfreeze", "-u", mount.toString()));
    if (!quietly(List.of("umount", mount.toString()))) {
      quietly(List.of("umount", "-l", mount.toString()));
    }
    quietly(List.of("losetup", "-d", device));
  }

  private static boolean quietly(List<String> command) {
    try {
      return SH.run(command, T).ok();
    } catch (IOException e) {
      return false;
    }
  }
}
