package dev.lossbench.retrieval.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.lossbench.retrieval.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MSR-VTT with precomputed frame features, in the split convention of CLIP4Clip:
 *
 * <ul>
 *   <li>{@code train}: the videos of {@code MSRVTT_train.9k.csv}, each with all its sentences from
 *       {@code MSRVTT_data.json} (20 per video in MSR-VTT), in the file's order;
 *   <li>{@code test}: the 1k-A pairs of {@code MSRVTT_JSFUSION_test.csv}, one sentence per video;
 *   <li>{@code dev}: {@code MSRVTT_val.csv} if present, else the 1k-A test pairs (CLIP4Clip
 *       validates on the test set; a warning is logged);
 *   <li>{@code testall}: not defined for MSR-VTT.
 * </ul>
 *
 * Videos are the "images" of {@link RetrievalDataset}; their regions are frame slots.
 */
public final class MsrvttDataset implements RetrievalDataset {
  /** CLIP4Clip's default frame budget ({@code --max_frames 12}). */
  public static final int DEFAULT_MAX_FRAMES = 12;

  private static final Logger LOG = LoggerFactory.getLogger(MsrvttDataset.class);

  private final String description;
  private final DatasetSplit split;
  private final List<String> videoIds;
  private final List<String> captions;
  private final int[] firstCaption;
  private final int[] videoOfCaption;
  private final int uniformCount;
  private final FrameFeatures frames;

  private MsrvttDataset(String description, DatasetSplit split, LinkedHashMap<String, List<String>> byVideo,
      FrameFeatures frames) {
    this.description = description;
    this.split = split;
    this.videoIds = List.copyOf(byVideo.keySet());
    List<String> caps = new ArrayList<>();
    this.firstCaption = new int[videoIds.size() + 1];
    int v = 0;
    for (List<String> c : byVideo.values()) {
      firstCaption[v++] = caps.size();
      caps.addAll(c);
    }
    firstCaption[v] = caps.size();
    this.captions = List.copyOf(caps);
    this.videoOfCaption = new int[captions.size()];
    int uniform = firstCaption.length > 1 ? firstCaption[1] - firstCaption[0] : 0;
    for (int i = 0; i < videoIds.size(); i++) {
      Arrays.fill(videoOfCaption, firstCaption[i], firstCaption[i + 1], i);
      if (firstCaption[i + 1] - firstCaption[i] != uniform) {
        uniform = -1;
      }
    }
    this.uniformCount = uniform;
    this.frames = frames;
  }

  /** Opens {@code split} from the standard file names in {@code root} with 12 frame slots. */
  public static MsrvttDataset open(Path root, DatasetSplit split) {
    return open(MsrvttFiles.standard(root), split, DEFAULT_MAX_FRAMES);
  }

  /** Opens {@code split}; videos with more than {@code maxFrames} frames are sampled evenly. */
  public static MsrvttDataset open(MsrvttFiles files, DatasetSplit split, int maxFrames) {
    if (maxFrames < 1) {
      throw new InvalidInputException("MSR-VTT max frames must be at least 1, got " + maxFrames);
    }
    LinkedHashMap<String, List<String>> byVideo;
    Path source;
    switch (split) {
      case TRAIN -> {
        source = files.trainCsv();
        byVideo = trainingSentences(files.trainCsv(), files.captionsJson());
      }
      case TEST -> {
        source = files.testCsv();
        byVideo = pairs(files.testCsv());
      }
      case DEV -> {
        source = Files.isRegularFile(files.valCsv()) ? files.valCsv() : files.testCsv();
        if (source.equals(files.testCsv())) {
          LOG.warn("{} not found: validating on the 1k-A test pairs {}, as CLIP4Clip does", files.valCsv(), source);
        }
        byVideo = pairs(source);
      }
      default -> throw new InvalidInputException("MSR-VTT has no '" + split
          + "' split (it has train, dev and test; test is the 1k-A set)");
    }
    if (byVideo.isEmpty()) {
      throw new InvalidInputException(source + ": lists no videos");
    }
    FrameFeatures frames = FrameFeatures.open(files, List.copyOf(byVideo.keySet()), maxFrames);
    return new MsrvttDataset("msr-vtt " + source + " (" + split + ")", split, byVideo, frames);
  }

  /** Training videos in CSV order, each with all its JSON sentences in file order. */
  private static LinkedHashMap<String, List<String>> trainingSentences(Path csv, Path json) {
    LinkedHashMap<String, List<String>> byVideo = new LinkedHashMap<>();
    List<Map<String, String>> rows = readCsv(csv, Set.of("video_id"));
    for (int r = 0; r < rows.size(); r++) {
      String id = rows.get(r).get("video_id").trim();
      if (byVideo.put(id, new ArrayList<>()) != null) {
        throw new InvalidInputException(
            csv + ": video '" + id + "' is listed twice (again on data row " + (r + 1) + ")");
      }
    }
    JsonNode sentences = readJson(json).get("sentences");
    if (sentences == null || !sentences.isArray()) {
      throw new InvalidInputException(json + ": expected a top-level 'sentences' array of {video_id, caption}");
    }
    for (int i = 0; i < sentences.size(); i++) {
      JsonNode s = sentences.get(i);
      JsonNode id = s.get("video_id");
      JsonNode caption = s.get("caption");
      if (id == null || !id.isTextual() || caption == null || !caption.isTextual()) {
        throw new InvalidInputException(
            json + ": sentences[" + i + "] needs text fields 'video_id' and 'caption', got " + s);
      }
      List<String> list = byVideo.get(id.asText().trim());
      if (list != null) {
        list.add(caption.asText());
      }
    }
    for (Map.Entry<String, List<String>> e : byVideo.entrySet()) {
      if (e.getValue().isEmpty()) {
        throw new InvalidInputException(json + ": has no sentences for training video '" + e.getKey() + "' of " + csv);
      }
    }
    return byVideo;
  }

  /** (video_id, sentence) rows grouped by video in order of first appearance. */
  private static LinkedHashMap<String, List<String>> pairs(Path csv) {
    LinkedHashMap<String, List<String>> byVideo = new LinkedHashMap<>();
    for (Map<String, String> row : readCsv(csv, Set.of("video_id", "sentence"))) {
      byVideo.computeIfAbsent(row.get("video_id").trim(), k -> new ArrayList<>()).add(row.get("sentence"));
    }
    return byVideo;
  }

  private static List<Map<String, String>> readCsv(Path csv, Set<String> required) {
    String text = readText(csv, "split file");
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class).with(schema)
        .readValues(text)) {
      List<Map<String, String>> rows = it.readAll();
      List<String> columns = new ArrayList<>();
      if (it.getParserSchema() instanceof CsvSchema parsed) {
        parsed.forEach(c -> columns.add(c.getName()));
      }
      for (String col : required) {
        if (!columns.contains(col)) {
          throw new InvalidInputException(csv + ": missing column '" + col + "' (columns: " + columns + ")");
        }
      }
      for (int r = 0; r < rows.size(); r++) {
        for (String col : required) {
          String v = rows.get(r).get(col);
          if (v == null || (col.equals("video_id") && v.isBlank())) {
            throw new InvalidInputException(csv + ": data row " + (r + 1) + " has no '" + col + "'");
          }
        }
      }
      return rows;
    } catch (IOException e) {
      throw new InvalidInputException(csv + ": not a valid CSV file (" + e.getMessage() + ")", e);
    }
  }

  private static JsonNode readJson(Path json) {
    String text = readText(json, "captions file");
    try {
      return new ObjectMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(json + ": not valid JSON (" + e.getOriginalMessage() + " at line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")", e);
    }
  }

  private static String readText(Path file, String what) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(
          file + ": MSR-VTT " + what + " not found in " + file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read MSR-VTT " + what + " (" + e.getMessage() + ")", e);
    }
  }

  /** The MSR-VTT id (e.g. {@code video7020}) of video {@code i}. */
  public String videoId(int i) {
    return videoIds.get(i);
  }

  /** Frames stored for video {@code i}, before sampling down to or padding up to {@link #regions()}. */
  public int storedFrames(int i) {
    return frames.storedFrames(i);
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public DatasetSplit split() {
    return split;
  }

  @Override
  public int images() {
    return videoIds.size();
  }

  @Override
  public int captionCount() {
    return captions.size();
  }

  @Override
  public String caption(int c) {
    return captions.get(c);
  }

  @Override
  public int imageOf(int c) {
    return videoOfCaption[c];
  }

  @Override
  public int firstCaption(int i) {
    return firstCaption[i];
  }

  @Override
  public int captionsPerImage() {
    if (uniformCount < 0) {
      throw new IllegalStateException(description + ": videos have different numbers of captions");
    }
    return uniformCount;
  }

  @Override
  public boolean hasUniformCaptions() {
    return uniformCount >= 0;
  }

  @Override
  public int regions() {
    return frames.slots();
  }

  @Override
  public int dim() {
    return frames.dim();
  }

  @Override
  public int readImage(int i, float[] dst, int offset) {
    if (i < 0 || i >= videoIds.size()) {
      throw new IndexOutOfBoundsException("video " + i + " of " + videoIds.size());
    }
    return frames.read(i, dst, offset);
  }
}
