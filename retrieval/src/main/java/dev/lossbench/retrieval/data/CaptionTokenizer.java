package dev.lossbench.retrieval.data;

import java.util.List;

/** Turns a batch of captions into token ids: lossbench's word {@link Tokenizer} or a Hugging Face tokenizer. */
public interface CaptionTokenizer extends AutoCloseable {
  TokenBatch encode(List<String> captions);

  /** Number of token ids it can produce. */
  int vocabSize();

  /** Where its vocabulary comes from, for error messages. */
  String source();

  /** Frees native resources, if any. */
  @Override
  default void close() {}
}
