package dev.lossbench.retrieval.data;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word ids for captions, built from the training captions and saved with a model so evaluation
 * uses the same ids. Id 0 is {@code <pad>}, 1 is {@code <unk>}; words follow by descending count,
 * ties alphabetically, so the same captions always give the same ids.
 *
 * <p>File format: UTF-8, one token per line, the line number (from 0) being its id; the first two
 * lines are {@code <pad>} and {@code <unk>}.
 */
public final class Vocabulary {
  public static final String PAD_TOKEN = "<pad>";
  public static final String UNK_TOKEN = "<unk>";
  public static final int PAD = 0;
  public static final int UNK = 1;

  private final List<String> words;
  private final Map<String, Integer> ids;

  private Vocabulary(List<String> words) {
    this.words = List.copyOf(words);
    this.ids = new HashMap<>(words.size() * 2);
    for (int i = 0; i < words.size(); i++) {
      ids.put(words.get(i), i);
    }
  }

  /** The vocabulary of every caption of {@code train}, keeping words seen at least {@code minCount} times. */
  public static Vocabulary build(RetrievalDataset train, int minCount) {
    List<String> captions = new ArrayList<>(train.captionCount());
    for (int c = 0; c < train.captionCount(); c++) {
      captions.add(train.caption(c));
    }
    return build(captions, minCount);
  }

  /** The vocabulary of {@code captions}, keeping words seen at least {@code minCount} times. */
  public static Vocabulary build(Iterable<String> captions, int minCount) {
    if (minCount < 1) {
      throw new InvalidInputException("vocabulary min count must be at least 1, got " + minCount);
    }
    Map<String, Integer> counts = new HashMap<>();
    for (String caption : captions) {
      for (String t : Tokenizer.tokens(caption)) {
        counts.merge(t, 1, Integer::sum);
      }
    }
    List<Map.Entry<String, Integer>> kept = new ArrayList<>();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() >= minCount && !e.getKey().equals(PAD_TOKEN) && !e.getKey().equals(UNK_TOKEN)) {
        kept.add(e);
      }
    }
    kept.sort(Map.Entry.<String, Integer>comparingByValue(Collections.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    List<String> words = new ArrayList<>(kept.size() + 2);
    words.add(PAD_TOKEN);
    words.add(UNK_TOKEN);
    kept.forEach(e -> words.add(e.getKey()));
    return new Vocabulary(words);
  }

  /** The words in id order (what a checkpoint stores); {@link #of(List)} restores it. */
  public List<String> words() {
    return words;
  }

  /** A vocabulary from its words in id order, as {@link #words()} gives them. */
  public static Vocabulary of(List<String> words) {
    if (words.size() < 2 || !words.get(PAD).equals(PAD_TOKEN) || !words.get(UNK).equals(UNK_TOKEN)) {
      throw new InvalidInputException("a vocabulary must start with " + PAD_TOKEN + " and " + UNK_TOKEN);
    }
    return new Vocabulary(words);
  }

  /** Reads a file written by {@link #save(Path)}; a malformed file is an error naming it. */
  public static Vocabulary load(Path file) {
    List<String> lines = TextLines.read(file, "vocabulary file");
    if (lines.size() < 2 || !lines.get(PAD).equals(PAD_TOKEN) || !lines.get(UNK).equals(UNK_TOKEN)) {
      throw new InvalidInputException(file + ": not a vocabulary file (its first lines must be "
          + PAD_TOKEN + " and " + UNK_TOKEN + ")");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String w = lines.get(i);
      if (w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)) {
        throw new InvalidInputException(file + ": line " + (i + 1) + " is not a single token: '" + w + "'");
      }
      Integer before = seen.put(w, i);
      if (before != null) {
        throw new InvalidInputException(
            file + ": token '" + w + "' appears on lines " + (before + 1) + " and " + (i + 1));
      }
    }
    return new Vocabulary(lines);
  }

  /** Writes the vocabulary atomically (temp file + rename), so a crash leaves any previous file intact. */
  public void save(Path file) {
    try {
      AtomicFiles.write(file, out -> {
        for (String w : words) {
          out.write((w + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write vocabulary " + file, e);
    }
  }

  /** Number of ids, including {@code <pad>} and {@code <unk>}. */
  public int size() {
    return words.size();
  }

  /** The id of {@code token}, {@link #UNK} when it is not in the vocabulary. */
  public int id(String token) {
    Integer id = ids.get(token);
    return id == null ? UNK : id;
  }

  public String word(int id) {
    return words.get(id);
  }

  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary v && v.words.equals(words);
  }

  @Override
  public int hashCode() {
    return words.hashCode();
  }

  @Override
  public String toString() {
    return "Vocabulary(" + words.size() + " tokens)";
  }
}
