package dev.lossbench.retrieval.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lossbench.retrieval.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Captions tokenised with a Hugging Face {@code tokenizer.json} (DJL's binding of the Rust
 * {@code tokenizers} library, read from the file: no network), with the tokenizer's own special
 * tokens, cut to {@code maxLength} tokens and padded on the right to exactly {@code maxLength},
 * so that {@code lengths[b]} real tokens (attention mask 1) precede the padding of each row.
 */
public final class HuggingFaceCaptionTokenizer implements CaptionTokenizer, AutoCloseable {
  private final Path file;
  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final int padId;
  private final int vocabSize;

  private HuggingFaceCaptionTokenizer(Path file, HuggingFaceTokenizer tokenizer, int maxLength, int padId,
      int vocabSize) {
    this.file = file;
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
    this.padId = padId;
    this.vocabSize = vocabSize;
  }

  /** @throws InvalidInputException when the file is missing or not a tokenizer.json */
  public static HuggingFaceCaptionTokenizer open(Path file, int maxLength) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(
          file + ": no such file (model torchscript: tokenizer): expected a Hugging Face tokenizer.json");
    }
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException(file + ": not JSON (" + e.getMessage().lines().findFirst().orElse("")
          + "): expected a Hugging Face tokenizer.json", e);
    }
    if (!json.path("model").isObject()) {
      throw new InvalidInputException(
          file + ": has no 'model' object: expected a Hugging Face tokenizer.json (tokenizer.save(...))");
    }
    int padId = json.path("padding").path("pad_id").asInt(0);
    HuggingFaceTokenizer tok;
    try {
      tok = HuggingFaceTokenizer.builder()
          .optTokenizerPath(file)
          .optAddSpecialTokens(true)
          .optTruncation(true)
          .optMaxLength(maxLength)
          .optPadding(false)
          .build();
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file + ": cannot be read as a Hugging Face tokenizer (" + e.getMessage() + ")",
          e);
    }
    return new HuggingFaceCaptionTokenizer(file, tok, maxLength, padId, vocabSize(json));
  }

  /** One more than the largest id in the vocabulary and the added tokens. */
  private static int vocabSize(JsonNode json) {
    int max = -1;
    JsonNode vocab = json.path("model").path("vocab");
    if (vocab.isObject()) {
      for (JsonNode id : (Iterable<JsonNode>) vocab::elements) {
        max = Math.max(max, id.asInt());
      }
    } else if (vocab.isArray()) {
      max = vocab.size() - 1; // Unigram: [[piece, score], ...]
    }
    for (JsonNode t : json.path("added_tokens")) {
      max = Math.max(max, t.path("id").asInt());
    }
    return max + 1;
  }

  public Path file() {
    return file;
  }

  public int maxLength() {
    return maxLength;
  }

  @Override
  public String source() {
    return file.toString();
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public TokenBatch encode(List<String> captions) {
    int n = captions.size();
    int[] ids = new int[n * maxLength];
    int[] lengths = new int[n];
    Arrays.fill(ids, padId);
    Encoding[] encodings = tokenizer.batchEncode(captions);
    for (int b = 0; b < n; b++) {
      long[] e = encodings[b].getIds();
      int len = Math.min(e.length, maxLength);
      for (int t = 0; t < len; t++) {
        ids[b * maxLength + t] = Math.toIntExact(e[t]);
      }
      lengths[b] = Math.max(1, len);
    }
    return new TokenBatch(n, maxLength, ids, lengths);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
