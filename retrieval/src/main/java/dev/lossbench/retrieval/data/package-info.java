/**
 * Retrieval datasets in the formats users already have, plus a built-in synthetic one.
 *
 * <p>Every dataset is a {@link dev.lossbench.retrieval.data.RetrievalDataset}: images (or videos)
 * with {@code regions × dim} features read from memory-mapped {@code .npy} files, and captions
 * numbered so that those of one image are consecutive. Batches are plain arrays
 * ({@link dev.lossbench.retrieval.data.RegionBatch}, {@link dev.lossbench.retrieval.data.TokenBatch});
 * the training loop turns them into NDArrays, so nothing here needs an engine.
 *
 * <h2>Precomp (Flickr30K, MSCOCO; SCAN / VSE++ / VSE∞)</h2>
 * A directory holding, for each split {@code train}, {@code dev}, {@code test}, {@code testall}
 * (COCO 5K) that is used:
 * <ul>
 *   <li>{@code {split}_ims.npy} — float32 or float64, C order, shape {@code N × R × D} (region
 *       features, e.g. 36 × 2048 bottom-up features) or {@code N × D} (one vector per image).
 *       Memory-mapped; files over 2 GiB are fine.
 *   <li>{@code {split}_caps.txt} — UTF-8, one caption per line, K consecutive lines per image in
 *       the image order of the {@code .npy} (K = 5 by default). Trailing blank lines are ignored.
 * </ul>
 * The number of caption lines must be {@code K × N}. Releases that repeat each image row once per
 * caption (K × N rows, the {@code im_div} convention of the original VSE features) are recognised
 * when the row count equals the caption count and the first K rows are identical.
 *
 * <h2>MSR-VTT (CLIP4Clip split files, precomputed frame features)</h2>
 * A directory holding ({@link dev.lossbench.retrieval.data.MsrvttFiles#standard}):
 * <ul>
 *   <li>{@code MSRVTT_train.9k.csv} — header {@code video_id}, one training video per row;
 *   <li>{@code MSRVTT_JSFUSION_test.csv} — header with at least {@code video_id} and
 *       {@code sentence} (JSFusion's file: {@code key,vid_key,video_id,sentence}); the 1k-A test
 *       set, one sentence per video;
 *   <li>{@code MSRVTT_data.json} — {@code {"sentences": [{"video_id": …, "caption": …}, …]}}
 *       (other fields ignored); all sentences of each training video (20 in MSR-VTT) are its
 *       training captions;
 *   <li>optional {@code MSRVTT_val.csv} (columns as the test file) for the {@code dev} split;
 *       without it {@code dev} is the 1k-A test set, as in CLIP4Clip;
 *   <li>frame features, either {@code frame_features.npy} ({@code videos × frames × D}, or
 *       {@code videos × D}) with {@code video_ids.txt} (line i names row i), or a directory
 *       {@code frame_features/} of {@code {video_id}.npy} files ({@code frames × D} each).
 * </ul>
 * Videos get {@code min(maxFrames, longest)} frame slots (12 by default, as CLIP4Clip): longer
 * videos are sampled at evenly spaced frames, shorter ones zero-padded with the real count
 * returned for masking.
 *
 * <h2>Synthetic scenes</h2>
 * {@link dev.lossbench.retrieval.data.SyntheticScenes} writes the precomp layout ({@code train},
 * {@code dev}, {@code test}) plus {@code synthetic.json} (its config and content hash), from a
 * {@link dev.lossbench.retrieval.data.SyntheticConfig}.
 *
 * <h2>Vocabulary</h2>
 * {@link dev.lossbench.retrieval.data.Vocabulary} is built from the training captions and saved as
 * one token per line (line number = id, {@code <pad>} = 0, {@code <unk>} = 1);
 * {@link dev.lossbench.retrieval.data.Tokenizer} lower-cases and splits punctuation off.
 *
 * <p>Every problem a user can cause — missing split file, caption count mismatch, wrong dtype or
 * shape, malformed CSV or JSON — is an {@link dev.lossbench.retrieval.InvalidInputException} whose
 * message starts with the file and says what was expected.
 */
package dev.lossbench.retrieval.data;
