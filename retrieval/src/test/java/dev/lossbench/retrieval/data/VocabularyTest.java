package dev.lossbench.retrieval.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.lossbench.retrieval.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
  @TempDir
  Path dir;

  private static final List<String> CAPTIONS = List.of(
      "A dog runs.", "The dog, a cat!", "a CAT sleeps", "Zebra-crossing");

  @Test
  void tokensAreLowerCaseWithPunctuationSplitOff() {
    assertEquals(List.of("the", "dog", ",", "a", "cat", "!"), Tokenizer.tokens("The dog, a cat!"));
    assertEquals(List.of("zebra", "-", "crossing", "2", "café"), Tokenizer.tokens("  Zebra-crossing\t2 Café "));
    assertEquals(List.of(), Tokenizer.tokens(" \n "));
  }

  @Test
  void idsFollowCountThenAlphabetWithPadAndUnkFirst() {
    Vocabulary v = Vocabulary.build(CAPTIONS, 1);

    assertEquals(Vocabulary.PAD, v.id("<pad>"));
    assertEquals(Vocabulary.UNK, v.id("<unk>"));
    // a:3, cat:2, dog:2, then count-1 tokens alphabetically: ! , - . crossing runs sleeps the zebra
    assertEquals(
        List.of("<pad>", "<unk>", "a", "cat", "dog", "!", ",", "-", ".", "crossing", "runs", "sleeps", "the", "zebra"),
        java.util.stream.IntStream.range(0, v.size()).mapToObj(v::word).toList());
  }

  @Test
  void minCountDropsRareWordsToUnk() {
    Vocabulary v = Vocabulary.build(CAPTIONS, 2);

    assertEquals(5, v.size());
    assertFalse(v.contains("zebra"));
    Tokenizer t = new Tokenizer(v, 10);
    assertArrayEquals(new int[]{v.id("a"), Vocabulary.UNK, v.id("dog")}, t.encode("a hungry DOG"));
  }

  @Test
  void buildsFromATrainingSplit() {
    Fixtures.floats(dir.resolve("train_ims.npy"), new float[2 * 2], 2, 2);
    Fixtures.lines(dir.resolve("train_caps.txt"), List.of("red cube", "blue cube"));
    Vocabulary v = Vocabulary.build(PrecompDataset.open(dir, DatasetSplit.TRAIN, 1), 1);
    assertEquals(List.of("cube", "blue", "red"), List.of(v.word(2), v.word(3), v.word(4)));
  }

  @Test
  void saveAndLoadRoundTrip() throws Exception {
    Vocabulary v = Vocabulary.build(CAPTIONS, 1);
    Path file = dir.resolve("model/vocab.txt");

    v.save(file);
    Vocabulary loaded = Vocabulary.load(file);

    assertEquals(v, loaded);
    assertEquals(v.id("sleeps"), loaded.id("sleeps"));
    assertEquals("<pad>", Files.readAllLines(file).get(0));
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count(), "no temp file left behind");
    }
  }

  @Test
  void malformedFilesAreNamed() {
    Path noHeader = Fixtures.lines(dir.resolve("a.txt"), List.of("dog", "cat"));
    InvalidInputException e1 = assertThrows(InvalidInputException.class, () -> Vocabulary.load(noHeader));
    assertTrue(e1.getMessage().startsWith(noHeader.toString()) && e1.getMessage().contains("<pad>"), e1.getMessage());

    Path dup = Fixtures.lines(dir.resolve("b.txt"), List.of("<pad>", "<unk>", "dog", "dog"));
    InvalidInputException e2 = assertThrows(InvalidInputException.class, () -> Vocabulary.load(dup));
    assertTrue(e2.getMessage().startsWith(dup.toString()) && e2.getMessage().contains("lines 3 and 4"),
        e2.getMessage());

    Path missing = dir.resolve("none.txt");
    InvalidInputException e3 = assertThrows(InvalidInputException.class, () -> Vocabulary.load(missing));
    assertTrue(e3.getMessage().startsWith(missing.toString()), e3.getMessage());
  }

  @Test
  void batchesArePaddedAndCutAtMaxLength() {
    Vocabulary v = Vocabulary.build(CAPTIONS, 1);
    Tokenizer t = new Tokenizer(v, 3);

    TokenBatch b = t.encode(List.of("a dog", "the dog, a cat!", ""));

    assertEquals(3, b.length());
    assertArrayEquals(new int[]{2, 3, 1}, b.lengths());
    assertArrayEquals(new int[]{
        v.id("a"), v.id("dog"), Vocabulary.PAD,
        v.id("the"), v.id("dog"), v.id(","),
        Vocabulary.UNK, Vocabulary.PAD, Vocabulary.PAD}, b.ids());
  }
}
