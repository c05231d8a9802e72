package io.holdfast.bench.jmh;

import io.holdfast.internal.crypto.MasterKey;
import java.security.SecureRandom;
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
 * restic's authenticated encryption (AES-256-CTR, Poly1305-AES) of one 1 MiB object, as every
 * blob, pack header and repository file gets it. One operation is 1 MiB, so operations per second
 * are MiB/s. {@code encrypt} includes drawing the random IV and allocating the result; {@code
 * decrypt} includes checking the MAC and allocating the plaintext.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class MasterKeyBench {

  private MasterKey key;
  private byte[] plaintext;
  private byte[] encrypted;

  @Setup(Level.Trial)
  public void setUp() {
    key = MasterKey.random(new SecureRandom());
    plaintext = new byte[1024 * 1024];
    new Random(4).nextBytes(plaintext);
    encrypted = key.encrypt(plaintext);
  }

  @Benchmark
  public byte[] encrypt1MiB() {
    return key.encrypt(plaintext);
  }

  @Benchmark
  public byte[] decrypt1MiB() {
    return key.decrypt(encrypted);
  }
}
