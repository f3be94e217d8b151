package dev.lossbench.retrieval.model;

import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.ImagePreprocessing;
import dev.lossbench.retrieval.io.PathTemplate;
import dev.lossbench.retrieval.io.Sha256;
import dev.lossbench.retrieval.params.Param;
import dev.lossbench.retrieval.params.SpecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys of the {@code torchscript} model kind and their typed values: the exported module, its
 * tokenizer, CLIP-style image preprocessing, and parameter groups by name prefix (frozen; new
 * heads at {@code training.lr}, the pretrained rest at {@code pretrained_lr}).
 *
 * <p>Lists (prefixes, mean, std) are written space-separated, since {@code ,} separates a spec's
 * pairs: {@code freeze: "visual text.token"}, {@code mean: "0.481 0.458 0.408"}.
 */
public record TorchScriptSpec(String path, String tokenizer, int maxWords, int imageSize, float[] mean, float[] std,
    List<String> freeze, List<String> head, double pretrainedLr, boolean learnableScale) {

  /** CLIP's (OpenAI) pixel mean and standard deviation, per RGB channel. */
  public static final String CLIP_MEAN = "0.48145466 0.4578275 0.40821073";
  public static final String CLIP_STD = "0.26862954 0.26130258 0.27577711";

  static final List<Param> PARAMS = List.of(
      Param.text("path", "",
          "the .pt file exported with torch.jit.script (required; ${ENV} is expanded when it loads)"),
      Param.text("tokenizer", "", "the model's Hugging Face tokenizer.json (required; ${ENV} expanded)"),
      // CLIP's context (OpenAI CLIP and open_clip): a spec's canonical text holds every key, so a run identity names
      // its max_words whatever the default was when it trained
      Param.integer("max_words", 77, 2,
          "captions are padded or cut to this many tokens (specials included; 77 is CLIP's context)"),
      Param.integer("image_size", 224, 8, "images are resized (shorter side) and centre-cropped to this square"),
      Param.text("mean", CLIP_MEAN, "per-channel RGB mean for normalisation, three numbers"),
      Param.text("std", CLIP_STD, "per-channel RGB standard deviation, three numbers > 0"),
      Param.text("freeze", "", "space-separated name prefixes of parameters that are not updated"),
      Param.text("head", "", "space-separated name prefixes of new parameters, trained at training.lr"),
      Param.number("pretrained_lr", 0, 0, false,
          "learning rate of the parameters not under head (0 = training.lr); follows the schedule"),
      Param.bool("learnable_scale", false, "the unified loss's γ is the module's exp(logit_scale), trained "
          + "(infonce uses it with learnable=true)"));

  /** Checks the keys that need more than their own range (each key alone: a matrix checks keys one by one). */
  static void check(ModelSpec spec) {
    List<String> errors = new ArrayList<>();
    for (String key : List.of("mean", "std")) {
      try {
        triple(spec.text(key), key.equals("std"));
      } catch (IllegalArgumentException e) {
        errors.add("model torchscript: " + key + "=" + spec.text(key) + " is not allowed: " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new SpecException(String.join("; ", errors));
    }
  }

  /** Checks that the keys without a default are given. */
  static void requireComplete(ModelSpec spec) {
    List<String> errors = new ArrayList<>();
    for (String key : List.of("path", "tokenizer")) {
      if (spec.text(key).isEmpty()) {
        errors.add("model torchscript: " + key + " is required: expected "
            + (key.equals("path") ? "the .pt file exported with torch.jit.script" : "the model's tokenizer.json"));
      }
    }
    if (!errors.isEmpty()) {
      throw new SpecException(String.join("; ", errors));
    }
  }

  public static TorchScriptSpec of(ModelSpec spec) {
    if (spec.name() != ModelSpec.Name.TORCHSCRIPT) {
      throw new IllegalArgumentException(spec + " is not a torchscript model");
    }
    requireComplete(spec);
    return new TorchScriptSpec(spec.text("path"), spec.text("tokenizer"), spec.integer("max_words"),
        spec.integer("image_size"), triple(spec.text("mean"), false), triple(spec.text("std"), true),
        names(spec.text("freeze")), names(spec.text("head")), spec.number("pretrained_lr"),
        spec.flag("learnable_scale"));
  }

  /** The CLIP-style preprocessing this model's images need. */
  public ImagePreprocessing preprocessing() {
    return new ImagePreprocessing(imageSize, mean, std);
  }

  /** {@link #path()} with {@code ${ENV}} expanded. */
  public Path modulePath() {
    return Path.of(expand(path, "model torchscript: path"));
  }

  /** {@link #tokenizer()} with {@code ${ENV}} expanded. */
  public Path tokenizerPath() {
    return Path.of(expand(tokenizer, "model torchscript: tokenizer"));
  }

  /** The SHA-256 of {@link #modulePath()}'s bytes. */
  public String moduleDigest() {
    return sha256(modulePath(), "model torchscript: path", "a .pt exported with torch.jit.script");
  }

  /** The SHA-256 of {@link #tokenizerPath()}'s bytes. */
  public String tokenizerDigest() {
    return sha256(tokenizerPath(), "model torchscript: tokenizer", "the model's tokenizer.json");
  }

  private static String sha256(Path file, String field, String expected) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": no such file (" + field + "): expected " + expected);
    }
    try {
      return Sha256.ofFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Learning rate of {@code parameter} when the head's (scheduled) rate is {@code lr}. */
  public double learningRate(String parameter, double lr, double baseLr) {
    if (pretrainedLr == 0 || head.stream().anyMatch(parameter::startsWith)) {
      return lr;
    }
    return lr * pretrainedLr / baseLr;
  }

  private static List<String> names(String text) {
    return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
  }

  private static float[] triple(String text, boolean positive) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 3) {
      throw new IllegalArgumentException("expected three space-separated numbers (R G B)");
    }
    float[] v = new float[3];
    for (int i = 0; i < 3; i++) {
      try {
        v[i] = Float.parseFloat(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected three space-separated numbers (R G B)");
      }
      if (!Float.isFinite(v[i]) || (positive && v[i] <= 0)) {
        throw new IllegalArgumentException("expected three finite numbers" + (positive ? " > 0" : ""));
      }
    }
    return v;
  }

  /** {@code template} with {@code ${NAME}} expanded from the environment; the first problem is an error naming {@code field}. */
  private static String expand(String template, String field) {
    PathTemplate.Expansion expanded = PathTemplate.expand(template, System.getenv(), "the file", "/path/to/file");
    if (!expanded.problems().isEmpty()) {
      throw new InvalidInputException(field + ": " + expanded.problems().get(0));
    }
    return expanded.text();
  }
}
