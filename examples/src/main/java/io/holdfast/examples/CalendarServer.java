package io.holdfast.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A tiny stand-in for a calendar server: events are blob files under {@code events/}, and
 * {@code index.db} lists every event with the SHA-256 of its file. A writer thread keeps adding
 * and deleting events; each change touches a blob and the index one after the other, so a copy
 * taken while it writes can find an index that does not match its blobs.
 *
 * <p>The invariant ({@link #check(Path)}): every event the index lists exists with that hash, and
 * every event file is listed. {@link #pause()} waits for the change in progress to finish and
 * blocks further writes until {@link #resume()}: that is what a consistency gate calls.
 */
public final class CalendarServer implements AutoCloseable {
  private final Path root;
  private final Path events;
  private final Random random;
  private final Semaphore writes = new Semaphore(1);
  private final Map<String, String> index = new LinkedHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private final Thread writer;
  private volatile boolean running = true;
  private volatile Throwable failure;
  private long next;

  /** Creates the data directory with {@code initialEvents} events and starts writing. */
  public CalendarServer(Path root, int initialEvents, long seed) throws IOException {
    this.root = root;
    this.events = Files.createDirectories(root.resolve("events"));
    this.random = new Random(seed);
    for (int i = 0; i < initialEvents; i++) {
      addEvent();
    }
    writeIndex();
    this.writer = new Thread(this::writeLoop, "calendar-writer");
    writer.setDaemon(true);
    writer.start();
  }

  public Path root() {
    return root;
  }

  /** How many changes the writer has made. */
  public long changes() {
    return changes.get();
  }

  /** Blocks writers once the change in progress is complete. */
  public void pause() throws InterruptedException {
    writes.acquire();
  }

  /** Lets writers go on. */
  public void resume() {
    writes.release();
  }

  private void writeLoop() {
    try {
      while (running) {
        writes.acquire();
        try {
          if (!running) {
            return;
          }
          // one change: a blob first, then (a moment later) the index that lists it
          if (index.size() > 150 && random.nextBoolean()) {
            String victim = index.keySet().iterator().next();
            index.remove(victim);
            writeIndex();
            Thread.sleep(1);
            Files.delete(events.resolve(victim));
          } else {
            addEvent();
            Thread.sleep(1);
            writeIndex();
          }
          changes.incrementAndGet();
        } finally {
          writes.release();
        }
        Thread.sleep(0, 200_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      failure = t;
    }
  }

  private void addEvent() throws IOException {
    String name = String.format("event-%06d.ics", next++);
    byte[] body = new byte[2048 + random.nextInt(30_000)];
    random.nextBytes(body);
    String header = "BEGIN:VEVENT\nUID:" + name + "\n";
    byte[] head = header.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, body, 0, head.length);
    Files.write(events.resolve(name), body);
    index.put(name, sha256(body));
  }

  private void writeIndex() throws IOException {
    StringBuilder b = new StringBuilder();
    index.forEach((name, hash) -> b.append(name).append(' ').append(hash).append('\n'));
    Path tmp = root.resolve("index.db.tmp");
    Files.writeString(tmp, b.toString());
    Files.move(tmp, root.resolve("index.db"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Every way the data under {@code dir} breaks the invariant; empty when it is consistent. */
  public static List<String> check(Path dir) throws IOException {
    List<String> violations = new ArrayList<>();
    Path indexFile = dir.resolve("index.db");
    if (!Files.exists(indexFile)) {
      return List.of("index.db is missing");
    }
    Set<String> listed = new TreeSet<>();
    for (String line : Files.readAllLines(indexFile)) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split(" ");
      listed.add(parts[0]);
      Path event = dir.resolve("events").resolve(parts[0]);
      if (!Files.exists(event)) {
        violations.add("index lists " + parts[0] + " but it is missing");
      } else if (!sha256(Files.readAllBytes(event)).equals(parts[1])) {
        violations.add(parts[0] + " does not match the hash in the index");
      }
    }
    try (Stream<Path> files = Files.list(dir.resolve("events"))) {
      files.map(p -> p.getFileName().toString()).filter(n -> !listed.contains(n))
          .forEach(n -> violations.add(n + " exists but the index does not list it"));
    }
    return violations;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops the writer; rethrows whatever made it fail. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    writer.interrupt();
    writer.join(10_000);
    if (failure != null) {
      throw new UncheckedIOException(new IOException("the calendar writer failed", failure));
    }
  }
}
