package dev.lossbench.retrieval.data;

import dev.lossbench.retrieval.InvalidInputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the one-entry-per-line text files of the dataset layouts (captions, ids, vocabularies). */
final class TextLines {
  private TextLines() {}

  /**
   * The lines of a UTF-8 file, without line terminators. Blank lines at the very end are dropped
   * (an editor's extra newline must not shift a caption count); blank lines inside are kept, as
   * they still occupy a caption slot.
   */
  static List<String> read(Path file, String what) {
    List<String> lines;
    try {
      lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file + ": " + what + " not found in " + file.toAbsolutePath().getParent());
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(file + ": " + what + " is not valid UTF-8 text", e);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read " + what + " (" + e.getMessage() + ")", e);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }
}
