package io.holdfast.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a repository lives on S3, written the way restic writes it: {@code
 * s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX]}, or {@code s3:HOST[:PORT]/BUCKET[/PREFIX]}, which
 * means https. The same string works for {@code restic -r} and {@code holdfast -r}.
 *
 * <p>The repository's objects ({@code config}, {@code keys/...}, {@code data/ab/abcd...}) sit
 * under {@code PREFIX/} in the bucket, or at the top of the bucket when there is no prefix.
 * Immutable; {@link #toString()} gives back the canonical form.
 *
 * @param endpoint the server, {@code http} or {@code https}, with neither path, query, user info
 *     nor fragment
 * @param bucket the bucket's name, not empty
 * @param prefix the key prefix without leading or trailing {@code '/'}; empty for none
 */
public record S3RepositoryUrl(URI endpoint, String bucket, String prefix) {

  /** The scheme prefix restic uses for S3 repositories. */
  public static final String SCHEME = "s3:";

  /** {@code s3.REGION.amazonaws.com} and the older {@code s3-REGION.amazonaws.com}. */
  private static final Pattern AWS_REGIONAL_HOST =
      Pattern.compile("s3[.-]([a-z]{2}(?:-[a-z]+)+-\\d+)\\.amazonaws\\.com");

  public S3RepositoryUrl {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("S3 endpoint must be http or https, got " + safe(endpoint));
    }
    if (endpoint.getHost() == null || endpoint.getRawUserInfo() != null
        || (endpoint.getRawPath() != null && !endpoint.getRawPath().isEmpty())
        || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "S3 endpoint must be just scheme://host[:port], got " + safe(endpoint));
    }
    if (bucket.isEmpty() || bucket.contains("/")) {
      throw new IllegalArgumentException("bad S3 bucket name \"" + bucket + "\"");
    }
    if (!prefix.equals(normalizePrefix(prefix))) {
      throw new IllegalArgumentException("S3 prefix \"" + prefix + "\" is not normalized");
    }
  }

  /**
   * Parses a restic S3 repository string.
   *
   * @throws IllegalArgumentException if {@code url} does not start with {@code s3:}, names no
   *     bucket, or carries credentials (user info): credentials never travel in the URL, and the
   *     message never repeats them
   */
  public static S3RepositoryUrl parse(String url) {
    Objects.requireNonNull(url, "url");
    if (!isS3(url)) {
      throw new IllegalArgumentException("not an S3 repository URL (must start with s3:)");
    }
    String rest = url.substring(SCHEME.length());
    String lower = rest.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      if (rest.contains("://")) {
        throw new IllegalArgumentException("an S3 repository URL must use http:// or https://");
      }
      rest = "https://" + rest;
    }
    URI uri;
    try {
      uri = new URI(rest);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed S3 repository URL: " + e.getReason(), e);
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("an S3 repository URL must not carry credentials: "
          + "give them in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the SDK's profile)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("S3 repository URL names no host: " + safe(uri));
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("S3 repository URL must not have a query or fragment: " + safe(uri));
    }
    List<String> segments = segments(uri.getPath() == null ? "" : uri.getPath());
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("S3 repository URL names no bucket: " + safe(uri)
          + " (expected s3:https://HOST/BUCKET[/PREFIX])");
    }
    URI endpoint = URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority());
    return new S3RepositoryUrl(endpoint, segments.get(0),
        String.join("/", segments.subList(1, segments.size())));
  }

  /** Whether {@code repository} is meant for S3 (starts with {@code s3:}). */
  public static boolean isS3(String repository) {
    return repository.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  /**
   * Whether a client should address the bucket in the path ({@code host/bucket/key}) rather than
   * as a virtual host ({@code bucket.host/key}): true for every server but Amazon's own, as restic
   * does, since emulators, IP addresses and most S3-compatible stores need it.
   */
  public boolean pathStyle() {
    return !endpoint.getHost().toLowerCase(Locale.ROOT).endsWith(".amazonaws.com");
  }

  /** Whether the endpoint is Amazon S3 itself ({@code *.amazonaws.com}). */
  public boolean isAws() {
    return !pathStyle();
  }

  /**
   * The region an Amazon S3 endpoint names, such as {@code eu-west-1} for {@code
   * s3.eu-west-1.amazonaws.com} (or the older {@code s3-eu-west-1.amazonaws.com}); empty for the
   * global {@code s3.amazonaws.com} and for other servers.
   */
  public Optional<String> awsRegion() {
    Matcher m = AWS_REGIONAL_HOST.matcher(endpoint.getHost().toLowerCase(Locale.ROOT));
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  @Override
  public String toString() {
    return SCHEME + endpoint + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  /** {@code prefix} without empty segments (so without leading, trailing or doubled slashes). */
  static String normalizePrefix(String prefix) {
    return String.join("/", segments(prefix));
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (s.equals(".") || s.equals("..")) {
        throw new IllegalArgumentException("S3 bucket or prefix must not contain '.' or '..' segments: " + path);
      }
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** The URI as it may appear in a message: without user info, should there be any. */
  private static String safe(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    return uri.getScheme() + "://<credentials removed>@" + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }
}
