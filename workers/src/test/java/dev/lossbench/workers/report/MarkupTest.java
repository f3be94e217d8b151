package dev.lossbench.workers.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MarkupTest {
  @Test
  void escapesTheCharactersThatMeanSomethingInMarkup() {
    assertEquals("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
        Markup.escape("<a href=\"x\">Tom & Jerry's</a>"));
  }

  @Test
  void replacesWhatXmlForbidsAndKeepsTheRest() {
    assertEquals("a\uFFFD[31mred\uFFFD[0m\uFFFD", Markup.escape("a\u001b[31mred\u001b[0m\u0000"), "ANSI colours, NUL");
    assertEquals("line 1\n\tat line 2\r\n", Markup.escape("line 1\n\tat line 2\r\n"));
    assertEquals("γ = 50 → 😀", Markup.escape("γ = 50 → 😀"), "non-ASCII and surrogate pairs stay");
    assertEquals("x\uFFFDy\uFFFD", Markup.escape("x\uD83Dy\uDE00"), "lone surrogates do not");
  }
}
