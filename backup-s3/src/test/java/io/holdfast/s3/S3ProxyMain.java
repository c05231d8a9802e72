package io.holdfast.s3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3Proxy as a process of its own, for tests and benchmarks that must not share a JVM with the
 * server: listens on 127.0.0.1 on a free port, prints {@code S3PROXY-READY <port>} on stdout, and
 * exits when its stdin closes (so it never outlives the process that started it). Credentials
 * come from the environment ({@code S3PROXY_ACCESS_KEY}, {@code S3PROXY_SECRET_KEY}), never from
 * arguments, which other users can see. With the argument {@code --dir DIR} objects are kept in
 * files under DIR, otherwise in memory.
 */
public final class S3ProxyMain {
  public static final String READY = "S3PROXY-READY ";

  private S3ProxyMain() {}

  public static void main(String[] args) throws Exception {
    String access = System.getenv("S3PROXY_ACCESS_KEY");
    String secret = System.getenv("S3PROXY_SECRET_KEY");
    if (access == null || secret == null) {
      System.err.println("set S3PROXY_ACCESS_KEY and S3PROXY_SECRET_KEY");
      System.exit(2);
    }
    org.gaul.s3proxy.blobstore.BlobStore backend;
    if (args.length == 2 && args[0].equals("--dir")) {
      Path dir = Files.createDirectories(Path.of(args[1]));
      Properties p = new Properties();
      p.setProperty("jclouds.filesystem.basedir", dir.toString());
      backend = BlobStores.create("filesystem-nio2", p);
    } else {
      backend = new TransientNio2BlobStore();
    }
    S3Proxy proxy = InProcessS3.startProxy(backend, access, secret);
    System.out.println(READY + proxy.getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the parent to go away
    }
    proxy.stop();
    System.exit(0);
  }
}
