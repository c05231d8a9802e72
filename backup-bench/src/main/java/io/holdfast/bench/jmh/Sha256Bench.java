package io.holdfast.bench.jmh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SHA-256 of one 1 MiB chunk with the JDK's {@link MessageDigest}, as every chunk's blob id needs.
 * One operation hashes 1 MiB, so operations per second are MiB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class Sha256Bench {

  private byte[] chunk;
  private MessageDigest sha256;

  @Setup(Level.Trial)
  public void setUp() throws NoSuchAlgorithmException {
    chunk = new byte[1024 * 1024];
    new Random(2).nextBytes(chunk);
    sha256 = MessageDigest.getInstance("SHA-256");
  }

  @Benchmark
  public byte[] sha256Of1MiB() {
    return sha256.digest(chunk);
  }
}
