package io.holdfast.internal.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.RepositoryFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoQuoteTest {
  @Test
  void quotesAsGoStrconvQuoteDoes() {
    assertThat(GoQuote.quote("plain.txt")).isEqualTo("plain.txt");
    assertThat(GoQuote.quote("new\nline")).isEqualTo("new\\nline");
    assertThat(GoQuote.quote("tab\there")).isEqualTo("tab\\there");
    assertThat(GoQuote.quote("q\"uote\\")).isEqualTo("q\\\"uote\\\\");
    assertThat(GoQuote.quote("ünïcødé-名前-🙂")).isEqualTo("ünïcødé-名前-🙂");
    assertThat(GoQuote.quote("\u0001\u007f")).isEqualTo("\\x01\\x7f");
    assertThat(GoQuote.quote("nb\u00a0sp")).isEqualTo("nb\\u00a0sp");
    assertThat(GoQuote.quote("it's")).isEqualTo("it's");
  }

  @Test
  void unquoteReversesQuoteForAwkwardNames() {
    for (String s : List.of("plain", "new\nline", "a\"b\\c", "\u0007\b\f\r\t\u000b", "名前🙂", "nb\u00a0sp", "\u2028")) {
      assertThat(GoQuote.unquote(GoQuote.quote(s))).isEqualTo(s);
    }
    assertThat(GoQuote.unquote("\\xc3\\xa9\\101")).isEqualTo("éA");
    assertThat(GoQuote.unquote("\\U0001f642")).isEqualTo("🙂");
  }

  @Test
  void malformedQuotedNamesAreFormatErrors() {
    for (String bad : List.of("a\"b", "trailing\\", "\\q", "\\x4", "\\uzzzz", "raw\nnewline")) {
      assertThatThrownBy(() -> GoQuote.unquote(bad)).isInstanceOf(RepositoryFormatException.class);
    }
  }

  @Test
  void nodeNamesAreQuotedInTreeJson() {
    Node n = new Node("new\nline", Node.FILE, 0644L, null, null, null, 0, 0, null, null, null, null, 0L, null,
        null, null, List.of(), null);
    byte[] json = new Tree(List.of(n)).toBytes();
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"name\":\"new\\\\nline\"");
    assertThat(Tree.parse(json, Id.hash(json)).nodes().get(0).name()).isEqualTo("new\nline");
  }
}
