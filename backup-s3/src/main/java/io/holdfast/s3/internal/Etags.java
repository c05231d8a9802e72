package io.holdfast.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether content matches an S3 ETag: a single-part ETag is the content's MD5; a multipart one
 * ({@code <md5 of the part md5s>-<parts>}) is tried with the part sizes that give that many parts
 * among our own and the common client defaults. An ETag that is neither (SSE-KMS, other stores)
 * never matches, so the object is rewritten: wrong in the safe direction.
 */
public final class Etags {
  private static final long MIB = 1024 * 1024;
  private static final long[] COMMON_PART_SIZES = {5 * MIB, 8 * MIB, 10 * MIB, 15 * MIB, 16 * MIB, 32 * MIB, 64 * MIB,
      100 * MIB, 128 * MIB, 256 * MIB, 512 * MIB};

  private Etags() {}

  /** Reads {@code content} (of {@code size} bytes) once and compares it with {@code etag}. */
  public static boolean matches(String etag, long size, long ourPartSize, InputStream content) throws IOException {
    if (etag == null) {
      return false;
    }
    int dash = etag.indexOf('-');
    List<PartDigest> candidates = new ArrayList<>();
    String want;
    if (dash < 0) {
      want = etag.toLowerCase(java.util.Locale.ROOT);
      candidates.add(new PartDigest(Long.MAX_VALUE, false));
    } else {
      int parts;
      try {
        parts = Integer.parseInt(etag.substring(dash + 1));
      } catch (NumberFormatException e) {
        return false;
      }
      want = etag.substring(0, dash).toLowerCase(java.util.Locale.ROOT);
      Set<Long> sizes = new LinkedHashSet<>();
      sizes.add(ourPartSize);
      for (long s : COMMON_PART_SIZES) {
        sizes.add(s);
      }
      for (long ps : sizes) {
        if (parts >= 1 && (size + ps - 1) / ps == parts) {
          candidates.add(new PartDigest(ps, true));
        }
      }
      if (candidates.isEmpty()) {
        return false;
      }
    }
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = content.read(buf)) > 0) {
      for (PartDigest c : candidates) {
        c.update(buf, 0, n);
      }
    }
    for (PartDigest c : candidates) {
      if (c.finish().equals(want)) {
        return true;
      }
    }
    return false;
  }

  /** The ETag S3 gives a single-part upload of {@code data}. */
  public static String of(byte[] data) {
    return HexFormat.of().formatHex(md5().digest(data));
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** MD5 of the whole content, or of each part and then of the part digests. */
  private static final class PartDigest {
    private final long partSize;
    private final boolean multipart;
    private final MessageDigest part = md5();
    private final MessageDigest whole = md5();
    private long inPart;

    PartDigest(long partSize, boolean multipart) {
      this.partSize = partSize;
      this.multipart = multipart;
    }

    void update(byte[] b, int off, int len) {
      while (len > 0) {
        int take = (int) Math.min(len, partSize - inPart);
        part.update(b, off, take);
        inPart += take;
        off += take;
        len -= take;
        if (inPart == partSize && multipart) {
          whole.update(part.digest());
          inPart = 0;
        }
      }
    }

    String finish() {
      if (!multipart) {
        return HexFormat.of().formatHex(part.digest());
      }
      if (inPart > 0) {
        whole.update(part.digest());
      }
      return HexFormat.of().formatHex(whole.digest());
    }
  }
}
