package io.holdfast.posix;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.holdfast.internal.archiver.Archiver;
import io.holdfast.internal.archiver.BackupStats;
import io.holdfast.internal.repo.Id;
import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.restorer.RestoreStats;
import io.holdfast.internal.restorer.Restorer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The child process of {@link BoundedMemoryTest}: {@code SOURCE REPO TARGET} backs up SOURCE (as
 * {@code data}) into a new repository in REPO, restores it into TARGET, and prints the heap's
 * high-water mark in each phase. Exits 0 only if both finished.
 */
final class BoundedMemoryMain {
  /** Output lines: the most heap in use right after any collection during each phase, in bytes. */
  static final String BACKUP_PEAK = "backup-peak-live-heap-bytes=";
  static final String RESTORE_PEAK = "restore-peak-live-heap-bytes=";

  private BoundedMemoryMain() {}

  public static void main(String[] args) throws Exception {
    AtomicLong peakLive = watchLiveHeap();
    Path source = Path.of(args[0]);
    Path target = Path.of(args[2]);
    try (Repository repo = TestRepos.init(Path.of(args[1]))) {
      BackupStats backup = new BackupStats();
      Id snapshot = TestRepos.backup(repo, backup, false, new Archiver.Source("data", source));
      System.out.println("backup: " + backup);
      // Notifications arrive on their own thread; let the last one land.
      Thread.sleep(200);
      long backupPeak = peakLive.getAndSet(0);
      try (Restorer restorer = new Restorer(repo, 2)) {
        RestoreStats restore = restorer.restore(repo.loadSnapshot(snapshot), "", target);
        System.out.println("restore: " + restore);
      }
      Thread.sleep(200);
      System.out.println(BACKUP_PEAK + backupPeak);
      System.out.println(RESTORE_PEAK + peakLive.get());
    }
    System.out.println("max-heap-bytes=" + Runtime.getRuntime().maxMemory() + ", collectors: "
        + ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(", ")));
  }

  /**
   * Tracks the heap in use just after each collection: what survived, so the live set, not the
   * garbage that happened to be lying around when someone looked.
   */
  private static AtomicLong watchLiveHeap() {
    Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    AtomicLong peak = new AtomicLong();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
        if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          long used = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
              .getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
              .filter(e -> heapPools.contains(e.getKey()))
              .mapToLong(e -> e.getValue().getUsed()).sum();
          peak.accumulateAndGet(used, Math::max);
        }
      }, null, null);
    }
    return peak;
  }
}
