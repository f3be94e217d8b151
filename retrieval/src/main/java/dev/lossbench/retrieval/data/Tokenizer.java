package dev.lossbench.retrieval.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns captions into word ids of a {@link Vocabulary}: lower-cases (root locale), splits on
 * whitespace, and makes every punctuation or symbol character its own token, so "a dog, running."
 * becomes {@code a dog , running .} — close to the NLTK tokenisation the VSE family uses, without
 * its English-specific contraction rules.
 */
public final class Tokenizer implements CaptionTokenizer {
  private final Vocabulary vocabulary;
  private final int maxLength;

  /** @param maxLength captions longer than this many tokens are cut (VSE uses no cut; CLIP4Clip 32) */
  public Tokenizer(Vocabulary vocabulary, int maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("max caption length must be at least 1, got " + maxLength);
    }
    this.vocabulary = vocabulary;
    this.maxLength = maxLength;
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public int vocabSize() {
    return vocabulary.size();
  }

  @Override
  public String source() {
    return "the word vocabulary of the training captions";
  }

  public int maxLength() {
    return maxLength;
  }

  /** The tokens of {@code text}: letters and digits runs are words, other visible characters stand alone. */
  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    String s = text.toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        int end = next;
        while (end < s.length() && Character.isLetterOrDigit(s.codePointAt(end))) {
          end += Character.charCount(s.codePointAt(end));
        }
        out.add(s.substring(i, end));
        next = end;
      } else if (!Character.isWhitespace(cp) && !Character.isISOControl(cp)) {
        out.add(s.substring(i, next));
      }
      i = next;
    }
    return out;
  }

  /**
   * Ids of {@code text}, at most {@link #maxLength()}; unknown words are {@link Vocabulary#UNK}.
   * A caption without tokens becomes a single {@code <unk>}, since recurrent encoders cannot
   * run over zero steps.
   */
  public int[] encode(String text) {
    List<String> toks = tokens(text);
    int n = Math.min(toks.size(), maxLength);
    if (n == 0) {
      return new int[]{Vocabulary.UNK};
    }
    int[] ids = new int[n];
    for (int t = 0; t < n; t++) {
      ids[t] = vocabulary.id(toks.get(t));
    }
    return ids;
  }

  /** Encodes captions into a batch padded with {@link Vocabulary#PAD} to the longest one. */
  @Override
  public TokenBatch encode(List<String> captions) {
    int[][] each = new int[captions.size()][];
    int longest = 1;
    for (int b = 0; b < each.length; b++) {
      each[b] = encode(captions.get(b));
      longest = Math.max(longest, each[b].length);
    }
    int[] ids = new int[each.length * longest];
    int[] lengths = new int[each.length];
    for (int b = 0; b < each.length; b++) {
      System.arraycopy(each[b], 0, ids, b * longest, each[b].length);
      lengths[b] = each[b].length;
    }
    return new TokenBatch(each.length, longest, ids, lengths);
  }
}
