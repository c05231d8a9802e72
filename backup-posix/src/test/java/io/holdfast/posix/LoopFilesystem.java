package io.holdfast.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real filesystem on a loop device for a test class ({@code @RegisterExtension static}): the first
 * {@link #mount()} makes an image file in a temporary directory, {@code mkfs}, a loop device, a
 * mount; after all the class's tests, always, it is thawed (should a test have frozen it),
 * unmounted, detached and deleted. A setup that fails half-way undoes what it made. Tests that never
 * call {@code mount()} run without one. {@code mount()} skips the test (loudly, on stderr) only when
 * it cannot run here: not root, a tool missing, or no permission to set up a loop device.
 */
final class LoopFilesystem implements AfterAllCallback {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final CommandRunner RUN = CommandRunner.system();

  private final String size;
  private final String[] mkfs;
  private final String[] tools;
  private Path mount;
  private Cleanup cleanup;
  private String unavailable;

  /** A filesystem of {@code size} ({@code 300M}) made by the {@code mkfs} command (the image is appended). */
  LoopFilesystem(String size, String... mkfs) {
    this(size, List.of(), mkfs);
  }

  private LoopFilesystem(String size, List<String> tools, String... mkfs) {
    this.size = size;
    this.mkfs = mkfs.clone();
    this.tools = tools.toArray(String[]::new);
  }

  /** This filesystem, for tests that also need {@code tools} (skipped without them). */
  LoopFilesystem requiring(String... tools) {
    return new LoopFilesystem(size, List.of(tools), mkfs);
  }

  /** The mount point; sets the filesystem up on first use, or skips the test when it cannot be. */
  synchronized Path mount() throws IOException {
    if (unavailable != null) {
      skip(unavailable);
    }
    if (mount == null) {
      setUp();
    }
    return mount;
  }

  private void setUp() throws IOException {
    requireRunnable();
    Path dir = Files.createTempDirectory("holdfast-loopfs");
    Path image = dir.resolve("fs.img");
    Path mount = Files.createDirectories(dir.resolve("mnt"));
    this.cleanup = Cleanup.whileMaking(cleanup -> {
      cleanup.add(() -> Files.deleteIfExists(dir));
      cleanup.add(() -> Files.deleteIfExists(mount));
      cleanup.add(() -> Files.deleteIfExists(image));
      RUN.check(List.of("truncate", "-s", size, image.toString()), TIMEOUT);
      List<String> mk = new ArrayList<>(List.of(mkfs));
      mk.add(image.toString());
      RUN.check(mk, TIMEOUT);
      CommandRunner.Result loop = RUN.run(List.of("losetup", "--find", "--show", image.toString()), TIMEOUT);
      if (!loop.ok() && loop.output().toLowerCase().contains("permission denied")) {
        skip("losetup cannot set up a loop device: " + loop.output().strip());
      }
      String device = loop.orThrow(List.of("losetup", "--find", "--show", image.toString())).output().strip();
      cleanup.add(RUN, List.of("losetup", "-d", device), TIMEOUT);
      RUN.check(List.of("mount", device, mount.toString()), TIMEOUT);
      cleanup.add(RUN, List.of("umount", mount.toString()), TIMEOUT);
      if (onPath("fsfreeze")) {
        cleanup.add(() -> RUN.run(List.of("fsfreeze", "-u", mount.toString()), TIMEOUT)); // fails when not frozen
      }
      return cleanup;
    });
    this.mount = mount;
  }

  /** Runs a command that must succeed, returning its output. */
  static String run(String... command) throws IOException {
    return RUN.check(List.of(command), TIMEOUT).output();
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) throws IOException {
    mount = null;
    if (cleanup != null) {
      cleanup.run();
      cleanup = null;
    }
  }

  private void requireRunnable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      skip("not running as root (user " + System.getProperty("user.name") + ")");
    }
    List<String> needed = new ArrayList<>(List.of(mkfs[0], "losetup", "mount", "umount", "truncate"));
    needed.addAll(List.of(tools));
    for (String tool : needed) {
      if (!onPath(tool)) {
        skip(tool + " is not installed");
      }
    }
  }

  static boolean onPath(String tool) {
    for (String d : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  private void skip(String why) {
    unavailable = why;
    System.err.println("WARNING: loop-filesystem test SKIPPED: " + why);
    Assumptions.abort(why);
  }
}
