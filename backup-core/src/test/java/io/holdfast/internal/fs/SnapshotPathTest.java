package io.holdfast.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotPathTest {
  @TempDir static Path tmp;
  static SnapshotFileSystem fs;
  static SnapshotFileSystem other;

  @BeforeAll
  static void open() throws IOException {
    fs = TinySnapshot.open(tmp.resolve("one"));
    other = TinySnapshot.open(tmp.resolve("two"));
  }

  @AfterAll
  static void close() throws IOException {
    fs.close();
    other.close();
  }

  private static Path p(String s) {
    return fs.getPath(s);
  }

  @Test
  void parsingDropsRepeatedAndTrailingSlashesAndRefusesNul() {
    assertThat(p("/a//b/").toString()).isEqualTo("/a/b");
    assertThat(fs.getPath("/", "a", "b").toString()).isEqualTo("/a/b");
    assertThat(fs.getPath("a", "", "b/").toString()).isEqualTo("a/b");
    assertThat(fs.getPath("", "a").toString()).isEqualTo("a");
    assertThat(p("//").toString()).isEqualTo("/");
    assertThat(p("ünï 名前/🙂").getNameCount()).isEqualTo(2);
    assertThatThrownBy(() -> p("a\0b")).isInstanceOf(InvalidPathException.class);
  }

  @Test
  void rootHasNoNameAndNoParent() {
    Path root = p("/");
    assertThat(root.isAbsolute()).isTrue();
    assertThat(root.getRoot()).isEqualTo(root);
    assertThat(root.getFileName()).isNull();
    assertThat(root.getParent()).isNull();
    assertThat(root.getNameCount()).isZero();
    assertThat(fs.getRootDirectories()).containsExactly(root);
  }

  @Test
  void theEmptyPathHasOneEmptyName() {
    Path empty = p("");
    assertThat(empty.isAbsolute()).isFalse();
    assertThat(empty.getNameCount()).isEqualTo(1);
    assertThat(empty.getFileName()).isEqualTo(empty);
    assertThat(empty.getParent()).isNull();
    assertThat(empty.getRoot()).isNull();
    assertThat(empty.toString()).isEmpty();
    assertThat(empty.toAbsolutePath()).isEqualTo(p("/"));
    assertThat(empty.normalize()).isEqualTo(empty);
  }

  @Test
  void namesParentsAndSubpaths() {
    Path abs = p("/a/b/c");
    assertThat(abs.getFileName()).isEqualTo(p("c"));
    assertThat(abs.getParent()).isEqualTo(p("/a/b"));
    assertThat(abs.getParent().getParent().getParent()).isEqualTo(p("/"));
    assertThat(abs.getName(0)).isEqualTo(p("a"));
    assertThat(abs.subpath(1, 3)).isEqualTo(p("b/c"));
    assertThat(abs.getRoot()).isEqualTo(p("/"));
    assertThat(p("a/b").getParent()).isEqualTo(p("a"));
    assertThat(p("a").getParent()).isNull();
    List<String> names = new ArrayList<>();
    abs.iterator().forEachRemaining(n -> names.add(n.toString()));
    assertThat(names).containsExactly("a", "b", "c");
    assertThatThrownBy(() -> abs.getName(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> abs.subpath(2, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> abs.subpath(0, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void startsWithAndEndsWithCompareWholeNames() {
    assertThat(p("/a/b").startsWith("/a")).isTrue();
    assertThat(p("/a/b").startsWith("/")).isTrue();
    assertThat(p("/a/b").startsWith("/a/b")).isTrue();
    assertThat(p("/ab").startsWith("/a")).isFalse();
    assertThat(p("/a/b").startsWith("a")).isFalse();
    assertThat(p("a/b").startsWith("a")).isTrue();
    assertThat(p("a").startsWith("")).isFalse();
    assertThat(p("").startsWith("")).isTrue();
    assertThat(p("/a/b").endsWith("b")).isTrue();
    assertThat(p("/a/b").endsWith("a/b")).isTrue();
    assertThat(p("/a/b").endsWith("/a/b")).isTrue();
    assertThat(p("a/b").endsWith("/a/b")).isFalse();
    assertThat(p("/a/bb").endsWith("b")).isFalse();
    assertThat(p("/a/b").endsWith("")).isFalse();
    assertThat(p("/a").startsWith(other.getPath("/a"))).as("another file system's path").isFalse();
  }

  @Test
  void normalizeRemovesDotsAndResolvesDotDotsLexically() {
    assertThat(p("/a/./b/../c").normalize()).isEqualTo(p("/a/c"));
    assertThat(p("/../a").normalize()).isEqualTo(p("/a"));
    assertThat(p("../a/..").normalize()).isEqualTo(p(".."));
    assertThat(p("a/../../b").normalize()).isEqualTo(p("../b"));
    assertThat(p("a/..").normalize()).isEqualTo(p(""));
    assertThat(p("./.").normalize()).isEqualTo(p(""));
  }

  @Test
  void resolveAppendsRelativePathsAndReplacesByAbsoluteOnes() {
    assertThat(p("/a").resolve("b/c")).isEqualTo(p("/a/b/c"));
    assertThat(p("/a").resolve("/x")).isEqualTo(p("/x"));
    assertThat(p("/a").resolve("")).isEqualTo(p("/a"));
    assertThat(p("").resolve("b")).isEqualTo(p("b"));
    assertThat(p("a").resolve("b")).isEqualTo(p("a/b"));
    assertThat(p("/a/b").resolveSibling("c")).isEqualTo(p("/a/c"));
    assertThat(p("a").resolveSibling("c")).isEqualTo(p("c"));
    assertThat(p("a/b").toAbsolutePath()).isEqualTo(p("/a/b"));
    assertThatThrownBy(() -> p("/a").resolve(Path.of("b"))).isInstanceOf(ProviderMismatchException.class);
    assertThatThrownBy(() -> p("/a").resolve(other.getPath("b"))).isInstanceOf(ProviderMismatchException.class);
  }

  @Test
  void relativizeIsTheInverseOfResolve() {
    assertThat(p("/a/b").relativize(p("/a/c/d"))).isEqualTo(p("../c/d"));
    assertThat(p("/a/b").relativize(p("/a/b"))).isEqualTo(p(""));
    assertThat(p("/").relativize(p("/a/b"))).isEqualTo(p("a/b"));
    assertThat(p("/a/b").relativize(p("/"))).isEqualTo(p("../.."));
    assertThat(p("a").relativize(p("a/b"))).isEqualTo(p("b"));
    assertThat(p("").relativize(p("a/b"))).isEqualTo(p("a/b"));
    for (String[] pair : new String[][] {{"/a/b/c", "/a/x"}, {"/x/y", "/x/y/z"}, {"a/b", "c"}, {"/", "/q"}}) {
      Path from = p(pair[0]);
      Path to = p(pair[1]);
      assertThat(from.resolve(from.relativize(to)).normalize()).isEqualTo(to);
    }
    assertThatThrownBy(() -> p("/a").relativize(p("b"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void comparisonEqualityAndHashingFollowTheNames() {
    assertThat(p("/a/b")).isEqualTo(p("/a//b/")).hasSameHashCodeAs(p("/a//b/"));
    assertThat(p("/a")).isNotEqualTo(p("a"));
    assertThat(p("/a")).isNotEqualTo(other.getPath("/a"));
    List<Path> sorted = new ArrayList<>(List.of(p("/b"), p("/a/z"), p("/a"), p("/é"), p("/Z")));
    sorted.sort(null);
    assertThat(sorted).extracting(Path::toString).containsExactly("/Z", "/a", "/a/z", "/b", "/é");
    assertThat(p("/a").compareTo(p("/a"))).isZero();
  }

  @Test
  void urisNameTheFileSystemAndRoundTrip() {
    Path odd = p("/data/with space/ünï#?.txt");
    URI uri = odd.toUri();
    assertThat(uri.getScheme()).isEqualTo("holdfast");
    assertThat(uri.getAuthority()).isEqualTo(fs.key());
    assertThat(uri.toASCIIString()).contains("with%20space").doesNotContain("#?");
    assertThat(fs.provider().getPath(uri)).isEqualTo(odd);
    assertThat(fs.provider().getPath(p("rel").toUri())).isEqualTo(p("/rel"));
    assertThat(other.provider().getFileSystem(other.getPath("/").toUri())).isSameAs(other);
    assertThatThrownBy(() -> fs.provider().getPath(URI.create("file:///x"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void globAndRegexMatchersMatchWholePaths() {
    assertThat(fs.getPathMatcher("glob:*.txt").matches(p("a.txt"))).isTrue();
    assertThat(fs.getPathMatcher("glob:*.txt").matches(p("d/a.txt"))).isFalse();
    assertThat(fs.getPathMatcher("glob:**/*.txt").matches(p("/d/e/a.txt"))).isTrue();
    assertThat(fs.getPathMatcher("glob:/d/**").matches(p("/d/e/a.txt"))).isTrue();
    assertThat(fs.getPathMatcher("glob:?.md").matches(p("a.md"))).isTrue();
    assertThat(fs.getPathMatcher("glob:?.md").matches(p("ab.md"))).isFalse();
    assertThat(fs.getPathMatcher("glob:[a-c]x").matches(p("bx"))).isTrue();
    assertThat(fs.getPathMatcher("glob:[a-c]x").matches(p("dx"))).isFalse();
    assertThat(fs.getPathMatcher("glob:[!a-c]x").matches(p("dx"))).isTrue();
    assertThat(fs.getPathMatcher("glob:[!a-c]x").matches(p("/x"))).as("a class never matches '/'").isFalse();
    assertThat(fs.getPathMatcher("glob:*.{yml,yaml}").matches(p("c.yaml"))).isTrue();
    assertThat(fs.getPathMatcher("glob:*.{yml,yaml}").matches(p("c.json"))).isFalse();
    assertThat(fs.getPathMatcher("glob:\\*.(x)+").matches(p("*.(x)+"))).isTrue();
    assertThat(fs.getPathMatcher("glob:名前-*").matches(p("名前-🙂"))).isTrue();
    assertThat(fs.getPathMatcher("regex:.*/b+").matches(p("/a/bbb"))).isTrue();
    assertThat(fs.getPathMatcher("GLOB:*").matches(p("x"))).isTrue();
    assertThatThrownBy(() -> fs.getPathMatcher("*.txt")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fs.getPathMatcher("sql:x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> fs.getPathMatcher("glob:[ab")).isInstanceOf(java.util.regex.PatternSyntaxException.class);
    assertThatThrownBy(() -> fs.getPathMatcher("glob:{a,{b}}")).isInstanceOf(java.util.regex.PatternSyntaxException.class);
  }
}
