package dev.lossbench.retrieval.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scenes of the synthetic dataset and the grammar that describes them: every word has 2–3
 * synonyms, objects are named in random order under varied templates, positions are mentioned
 * sometimes, and captions may leave out objects and attributes — as real captions omit things.
 * Every caption is true of its scene; {@link Mention}s record what it claims.
 */
final class SceneGrammar {
  static final int MAX_COLOURS = 12;
  static final int MAX_SHAPES = 12;
  static final int MAX_SIZES = 3;
  static final int MAX_GRID = 3;

  private static final String[][] COLOURS = {
      {"red", "crimson", "scarlet"}, {"blue", "azure", "cobalt"}, {"green", "emerald", "lime"},
      {"yellow", "golden", "lemon"}, {"purple", "violet", "lilac"}, {"orange", "amber", "tangerine"},
      {"white", "ivory", "snowy"}, {"black", "ebony", "jet"}, {"pink", "rose"}, {"brown", "chocolate"},
      {"grey", "gray", "silver"}, {"teal", "turquoise", "cyan"},
  };
  private static final String[][] SHAPES = {
      {"cube", "box", "block"}, {"sphere", "ball", "orb"}, {"cylinder", "tube", "can"}, {"cone", "funnel"},
      {"pyramid", "tetrahedron"}, {"ring", "torus", "donut"}, {"star", "asterisk"}, {"disc", "disk", "plate"},
      {"heart", "valentine"}, {"cross", "plus"}, {"triangle", "wedge"}, {"crescent", "moon"},
  };
  private static final String[][] SIZES = {
      {"small", "tiny", "little"}, {"medium", "medium-sized", "mid-sized"}, {"large", "big", "huge"},
  };
  private static final String[] TOP = {"top", "upper"};
  private static final String[] BOTTOM = {"bottom", "lower"};
  private static final String[] PREFIXES_ONE = {
      "", "there is ", "a picture of ", "an image showing ", "we can see ", "a scene with ", "this shows ",
  };
  private static final String[] PREFIXES_MANY = {
      "", "there are ", "a picture of ", "an image showing ", "we can see ", "a scene with ", "this shows ",
  };
  private static final String[] JOINERS = {" and ", " with ", " , ", " plus "};

  /** One object of a scene; {@code cell} is {@code row * grid + column}. */
  record SceneObject(int colour, int shape, int size, int cell) {}

  record Scene(List<SceneObject> objects) {}

  /**
   * What a caption says about one object: its shape always; colour, size and cell, or -1 where
   * the caption leaves it out.
   */
  record Mention(int shape, int colour, int size, int cell) {
    boolean describes(SceneObject o) {
      return o.shape() == shape && (colour < 0 || o.colour() == colour) && (size < 0 || o.size() == size)
          && (cell < 0 || o.cell() == cell);
    }
  }

  record SceneCaption(String text, List<Mention> mentions) {}

  private final SyntheticConfig config;

  SceneGrammar(SyntheticConfig config) {
    this.config = config;
  }

  Scene scene(SplittableRandom rng) {
    int n = config.minObjects() + rng.nextInt(config.maxObjects() - config.minObjects() + 1);
    int cells = config.grid() * config.grid();
    int[] order = permutation(cells, rng);
    List<SceneObject> objects = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      objects.add(new SceneObject(rng.nextInt(config.colours()), rng.nextInt(config.shapes()),
          rng.nextInt(config.sizes()), order[k]));
    }
    return new Scene(List.copyOf(objects));
  }

  SceneCaption caption(Scene scene, SplittableRandom rng) {
    List<SceneObject> objs = scene.objects();
    int[] order = permutation(objs.size(), rng);
    List<SceneObject> chosen = new ArrayList<>();
    for (int k : order) {
      if (rng.nextDouble() >= config.objectDropRate()) {
        chosen.add(objs.get(k));
      }
    }
    if (chosen.isEmpty()) {
      chosen.add(objs.get(order[0]));
    }
    List<Mention> mentions = new ArrayList<>(chosen.size());
    List<String> phrases = new ArrayList<>(chosen.size());
    for (SceneObject o : chosen) {
      boolean colour = config.colours() > 1 && rng.nextDouble() >= config.attributeDropRate();
      boolean size = config.sizes() > 1 && rng.nextDouble() >= config.attributeDropRate();
      boolean cell = config.grid() > 1 && rng.nextDouble() < config.spatialRate();
      mentions.add(new Mention(o.shape(), colour ? o.colour() : -1, size ? o.size() : -1, cell ? o.cell() : -1));
      phrases.add(phrase(o, colour, size, cell, rng));
    }
    StringBuilder text = new StringBuilder(pick(phrases.size() == 1 ? PREFIXES_ONE : PREFIXES_MANY, rng));
    for (int p = 0; p < phrases.size(); p++) {
      if (p > 0) {
        boolean last = p == phrases.size() - 1;
        text.append(last && phrases.size() > 2 ? " and " : pick(JOINERS, rng));
      }
      text.append(phrases.get(p));
    }
    if (rng.nextBoolean()) {
      text.append(" .");
    }
    String s = text.toString().replace(" , ", ", ").replace(" .", ".");
    if (rng.nextInt(4) == 0) {
      s = Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
    return new SceneCaption(s, List.copyOf(mentions));
  }

  private String phrase(SceneObject o, boolean colour, boolean size, boolean cell, SplittableRandom rng) {
    List<String> words = new ArrayList<>(5);
    if (size) {
      words.add(pick(SIZES[sizeWordIndex(o.size())], rng));
    }
    if (colour) {
      words.add(pick(COLOURS[o.colour()], rng));
    }
    words.add(pick(SHAPES[o.shape()], rng));
    String first = words.get(0);
    String article = "aeiou".indexOf(first.charAt(0)) >= 0 ? "an " : "a ";
    String p = article + String.join(" ", words);
    return cell ? p + " " + position(o.cell(), rng) : p;
  }

  /** With two sizes the words are small / large; with three, small / medium / large. */
  private int sizeWordIndex(int size) {
    return config.sizes() == 2 ? size * 2 : size;
  }

  /** "in the upper left (corner)", "at the bottom", "on the right", "in the middle", … */
  private String position(int cell, SplittableRandom rng) {
    int g = config.grid();
    int row = cell / g;
    int col = cell % g;
    boolean top = row == 0;
    boolean bottom = row == g - 1 && g > 1;
    String colWord = col == 0 ? "left" : col == g - 1 ? "right" : null;
    if ((top || bottom) && colWord != null) {
      String rowWord = pick(top ? TOP : BOTTOM, rng);
      return pick(new String[]{"in the ", "at the "}, rng) + rowWord + " " + colWord
          + (rng.nextBoolean() ? " corner" : "");
    }
    if (top || bottom) {
      // alone, "upper" and "lower" are adjectives without a noun, so only the nouns
      return pick(new String[]{"at the ", "near the "}, rng) + (top ? "top" : "bottom");
    }
    if (colWord != null) {
      return pick(new String[]{"on the ", "to the "}, rng) + colWord;
    }
    return pick(new String[]{"in the center", "in the middle", "in the centre"}, rng);
  }

  private static String pick(String[] options, SplittableRandom rng) {
    return options[rng.nextInt(options.length)];
  }

  static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
