package dev.lossbench.retrieval.loss;

import dev.lossbench.retrieval.params.Param;
import dev.lossbench.retrieval.params.Params;
import dev.lossbench.retrieval.params.ResolvedSpec;
import dev.lossbench.retrieval.params.SpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * A loss as a matrix names it: a loss name and its parameters, every key known, every value in
 * range, defaults filled in. Written {@code NAME:key=value,...} (e.g.
 * {@code unified:gamma=50,margin=0.2,normalize=true}) or as a map with a {@code name} entry.
 *
 * <p>Keys and defaults (every loss also takes {@code reduction} over anchors and {@code directions},
 * how image→text and text→image combine, each {@code mean|sum}):
 * <ul>
 *   <li>{@code triplet} — margin=0.2; reduction=sum, directions=sum (VSE0)</li>
 *   <li>{@code triplet-hn} — margin=0.2, warmup_epochs=0; reduction=sum, directions=sum (VSE++/VSE∞)</li>
 *   <li>{@code infonce} — tau=0.07, learnable=false; reduction=mean, directions=mean (CLIP)</li>
 *   <li>{@code unified} — gamma=50, margin=0.1, normalize=false; reduction=mean, directions=mean</li>
 *   <li>{@code circle} — margin=0.25, gamma=256; reduction=mean, directions=mean (Sun et al.)</li>
 * </ul>
 */
public final class LossSpec extends ResolvedSpec {

  /** The losses lossbench knows, with the keys each accepts. */
  public enum Name {
    TRIPLET("triplet", "sum",
        Param.number("margin", 0.2, 0, false, "hinge margin m")),
    TRIPLET_HN("triplet-hn", "sum",
        Param.number("margin", 0.2, 0, false, "hinge margin m"),
        Param.integer("warmup_epochs", 0, 0, "epochs summing over negatives before mining the hardest")),
    INFONCE("infonce", "mean",
        Param.number("tau", 0.07, 0, true, "temperature τ (logits are s/τ)"),
        Param.bool("learnable", false, "learn log(1/τ) with the model, clamped so 1/τ <= 100")),
    UNIFIED("unified", "mean",
        Param.number("gamma", 50, 0, true, "scale γ"),
        Param.number("margin", 0.1, 0, false, "margin m"),
        Param.bool("normalize", false, "divide the loss by γ")),
    CIRCLE("circle", "mean",
        Param.number("margin", 0.25, 0, false, "relaxation m"),
        Param.number("gamma", 256, 0, true, "scale γ"));

    private final String id;
    private final List<Param> params;

    Name(String id, String fieldReduction, Param... own) {
      this.id = id;
      List<Param> all = new ArrayList<>(List.of(own));
      List<String> modes = List.of("mean", "sum");
      all.add(Param.choice("reduction", fieldReduction, modes, "reduce per-anchor terms by mean or sum"));
      all.add(Param.choice("directions", fieldReduction, modes, "combine image→text and text→image by mean or sum"));
      this.params = List.copyOf(all);
    }

    public String id() {
      return id;
    }

    List<Param> params() {
      return params;
    }

    static Name of(String id) {
      for (Name n : values()) {
        if (n.id.equals(id)) {
          return n;
        }
      }
      throw new LossSpecException("unknown loss '" + id + "': expected one of " + known());
    }

    static String known() {
      return Arrays.stream(values()).map(Name::id).collect(Collectors.joining(", "));
    }
  }

  private final Name name;

  private LossSpec(Name name, SortedMap<String, Object> params) {
    super(name.id, name.params(), params);
    this.name = name;
  }

  /** Parses {@code NAME} or {@code NAME:key=value,...}. */
  public static LossSpec parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new LossSpecException(
          "empty loss spec: expected NAME or NAME:key=value,... with NAME one of " + Name.known());
    }
    Map.Entry<String, Map<String, Object>> parts;
    try {
      parts = Params.split("loss", spec);
    } catch (SpecException e) {
      throw new LossSpecException(e.getMessage());
    }
    return of(parts.getKey(), parts.getValue());
  }

  /** Builds from a map as a YAML matrix writes it: {@code {name: unified, gamma: 50, ...}}. */
  public static LossSpec fromMap(Map<String, ?> map) {
    Map.Entry<String, Map<String, Object>> named = Params.named("loss", map, Name.known(), LossSpecException::new);
    return of(named.getKey(), named.getValue());
  }

  /** Builds from a name and raw key → value pairs, checking every key and value. */
  public static LossSpec of(String id, Map<String, ?> raw) {
    Name name = Name.of(id.trim().toLowerCase(Locale.ROOT));
    return new LossSpec(name, Params.resolve(name.id, name.params(), raw, LossSpecException::new));
  }

  public Name name() {
    return name;
  }

  public Reduction reduction() {
    return Reduction.parse("reduction", (String) params().get("reduction"));
  }

  public Reduction directions() {
    return Reduction.parse("directions", (String) params().get("directions"));
  }

  /** A one-paragraph description of every loss and key, for --help and the README. */
  public static String reference() {
    return Arrays.stream(Name.values())
        .map(n -> n.id + ": " + Params.reference(n.params()))
        .collect(Collectors.joining("\n"));
  }

  /** The loss this spec describes. */
  public RetrievalLoss create() {
    double margin = params().containsKey("margin") ? number("margin") : 0;
    return switch (name) {
      case TRIPLET -> new TripletLoss(this, margin, false, 0);
      case TRIPLET_HN -> new TripletLoss(this, margin, true, integer("warmup_epochs"));
      case INFONCE -> new InfoNceLoss(this, number("tau"), flag("learnable"));
      case UNIFIED -> new UnifiedLoss(this, number("gamma"), margin, flag("normalize"));
      case CIRCLE -> new CircleLoss(this, margin, number("gamma"));
    };
  }
}
