package io.holdfast.bench.jmh;

import io.holdfast.internal.chunker.Chunker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Chunking throughput over a 64 MiB random buffer. One operation chunks the whole buffer; the
 * {@code mebibytes} line of the result is the throughput in MiB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class ChunkerBench {

  private static final int SIZE_MIB = 64;

  /** Counts the MiB chunked, so that JMH reports them per second next to operations. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Progress {
    public long mebibytes;
  }

  private byte[] data;
  private Chunker chunker;

  @Setup(Level.Trial)
  public void setUp() {
    data = new byte[SIZE_MIB * 1024 * 1024];
    new Random(1).nextBytes(data);
    chunker = new Chunker(0x25b468838dcb75L);
  }

  /** Chunks the buffer, as a backup chunks a file read from disk. */
  @Benchmark
  public int chunk64MiB(Progress progress, Blackhole blackhole) throws IOException {
    Chunker.Reader reader = chunker.reader(new ByteArrayInputStream(data));
    int chunks = 0;
    for (byte[] chunk = reader.next(); chunk != null; chunk = reader.next()) {
      blackhole.consume(chunk);
      chunks++;
    }
    progress.mebibytes += SIZE_MIB;
    return chunks;
  }
}
