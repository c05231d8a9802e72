package io.holdfast.internal.repo;

/**
 * How a repository writes: target pack size, zstd level for blobs (0 = store uncompressed), and how
 * many pack uploads may run at once.
 */
public record RepositoryOptions(int packSize, int compressionLevel, int uploadThreads) {
  public static final int MIN_PACK_SIZE = 1 << 20;
  public static final int MAX_PACK_SIZE = 128 << 20;

  /** 16 MiB packs as restic 0.14 writes by default, zstd level 1, one upload per core. */
  public static RepositoryOptions defaults() {
    return new RepositoryOptions(16 << 20, 1, Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  public RepositoryOptions {
    if (packSize < MIN_PACK_SIZE || packSize > MAX_PACK_SIZE) {
      throw new IllegalArgumentException("pack size must be between 1 MiB and 128 MiB, got " + packSize);
    }
    if (compressionLevel < 0 || compressionLevel > 19) {
      throw new IllegalArgumentException("zstd level must be 0..19, got " + compressionLevel);
    }
    if (uploadThreads < 1) {
      throw new IllegalArgumentException("upload threads must be at least 1, got " + uploadThreads);
    }
  }

  public RepositoryOptions withPackSize(int bytes) {
    return new RepositoryOptions(bytes, compressionLevel, uploadThreads);
  }

  public RepositoryOptions withCompressionLevel(int level) {
    return new RepositoryOptions(packSize, level, uploadThreads);
  }
}
