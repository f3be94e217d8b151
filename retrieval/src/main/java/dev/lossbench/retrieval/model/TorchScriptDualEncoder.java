package dev.lossbench.retrieval.model;

import static dev.lossbench.retrieval.model.TorchScriptContract.CONTRACT;
import static dev.lossbench.retrieval.model.TorchScriptContract.firstLine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.TensorMemory;
import dev.lossbench.retrieval.InvalidInputException;
import dev.lossbench.retrieval.data.CaptionTokenizer;
import dev.lossbench.retrieval.data.RegionBatch;
import dev.lossbench.retrieval.data.TokenBatch;
import dev.lossbench.retrieval.engine.Autograd;
import dev.lossbench.retrieval.engine.HostCopies;
import dev.lossbench.retrieval.io.StoredFloats;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A pretrained dual encoder exported from PyTorch with {@code torch.jit.script}, fine-tuned in place.
 *
 * <p><b>Calling contract</b> (CLIP's; checked when the module loads, with an error naming what is wrong):
 * <pre>
 *   forward(images: Tensor[B, 3, H, W] float32, token_ids: Tensor[B, L] int64, attention_mask: Tensor[B, L] int64)
 *       -> (image_embeddings: Tensor[B, D], text_embeddings: Tensor[B, D][, anything else])   training
 *   encode_image(images) -> Tensor[B, D]                                                       evaluation
 *   encode_text(token_ids, attention_mask) -> Tensor[B, D]                                     evaluation
 *   logit_scale: scalar parameter, log(1/τ)      (optional; the loss's temperature when it is learnable)
 * </pre>
 * Training runs {@code forward} (DJL records gradients only through a module's forward; its other
 * methods run without gradients), evaluation the two encoders, which must be marked
 * {@code @torch.jit.export} (open_clip's and OpenAI CLIP's models have all three under these
 * names). Further outputs of {@code forward}, such as CLIP's {@code logit_scale.exp()}, are ignored:
 * the loss reads the {@code logit_scale} parameter itself. Images arrive resized, centre-cropped and normalised with the
 * matrix's mean/std; token ids come from the model's Hugging Face tokenizer, padded on the right
 * to {@code max_words} (mask 1 for real tokens). Outputs need not be normalised: lossbench
 * L2-normalises them.
 *
 * <p>Traps this class takes care of: parameters are trainable only when loaded with
 * {@code trainParam=true}; a loaded module is in evaluation mode (dropout off) until training
 * mode is switched on, so every encode call sets the mode it asks for; dropout draws from
 * libtorch's global generator, which {@link #beginStep} seeds per step so resumption is exact.
 * Parameter values are restored with in-place arithmetic, never DJL's {@code set(Buffer)}.
 */
public final class TorchScriptDualEncoder implements RetrievalModel {
  public static final String LOGIT_SCALE = "logit_scale";
  static final boolean OPTIMIZE_GRAPH = Boolean.getBoolean("lossbench.torchscript.optimize");
  static final String ENCODE_IMAGE = "encode_image";
  static final String ENCODE_TEXT = "encode_text";

  private final Path source;
  /** The source file as it was loaded: an export copies its archive only while it is unchanged. */
  private final BasicFileAttributes sourceAsLoaded;
  private final TorchScriptSpec spec;
  private final PtNDManager manager;
  private final PtSymbolBlock module;
  private final Map<String, NDArray> parameters;
  private final boolean useLogitScale;
  private final int embedDim;
  private Boolean training;

  private TorchScriptDualEncoder(Path source, BasicFileAttributes sourceAsLoaded, TorchScriptSpec spec,
      PtNDManager manager, PtSymbolBlock module, Map<String, NDArray> parameters, boolean useLogitScale, int embedDim) {
    this.source = source;
    this.sourceAsLoaded = sourceAsLoaded;
    this.spec = spec;
    this.manager = manager;
    this.module = module;
    this.parameters = parameters;
    this.useLogitScale = useLogitScale;
    this.embedDim = embedDim;
  }

  /**
   * Loads {@code spec}'s module with trainable parameters and checks the calling contract.
   *
   * @param learnableScale whether the loss learns its temperature: the module must then have a
   *     scalar {@code logit_scale} parameter, which {@link #logitScale()} returns
   */
  public static TorchScriptDualEncoder load(NDManager parent, ModelSpec spec, boolean learnableScale) {
    TorchScriptSpec ts = TorchScriptSpec.of(spec);
    return load(parent, ts.modulePath(), ts, learnableScale);
  }

  public static TorchScriptDualEncoder load(NDManager parent, Path file, TorchScriptSpec spec, boolean learnableScale) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": no such file (model torchscript: path): " + CONTRACT);
    }
    Autograd.offOnThisThread();
    // the profiling graph executor re-optimises as calls alternate between training (gradients)
    // and evaluation; plain interpretation is faster for fine-tuning (see README figures)
    JniUtils.setGraphExecutorOptimize(OPTIMIZE_GRAPH);
    BasicFileAttributes asLoaded;
    try {
      asLoaded = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot be read (" + e.getMessage() + "): " + CONTRACT, e);
    }
    PtNDManager manager = (PtNDManager) parent.newSubManager();
    PtSymbolBlock module;
    try {
      // trainParam=true is the option that makes the parameters require gradients (a wrong key is silently ignored)
      module = JniUtils.loadModule(manager, file, false, new String[0], new String[0], true);
    } catch (RuntimeException e) {
      manager.close();
      throw new InvalidInputException(file + ": cannot be loaded as TorchScript (" + firstLine(e) + "): " + CONTRACT,
          e);
    }
    try {
      Map<String, NDArray> params = TorchScriptContract.parameters(file, module, learnableScale);
      if (!learnableScale && params.containsKey(LOGIT_SCALE)) {
        // a fixed-temperature loss never reads it: no gradient, never updated
        params.get(LOGIT_SCALE).setRequiresGradient(false);
      }
      TorchScriptDualEncoder model = new TorchScriptDualEncoder(file, asLoaded, spec, manager, module,
          Collections.unmodifiableMap(params), learnableScale, 0);
      int dim = model.probe();
      return new TorchScriptDualEncoder(file, asLoaded, spec, manager, module, Collections.unmodifiableMap(params),
          learnableScale, dim);
    } catch (RuntimeException e) {
      module.close();
      manager.close();
      throw e;
    }
  }

  /** Runs both methods once on small inputs in evaluation mode; the embedding size they agree on. */
  private int probe() {
    int s = spec.imageSize();
    int l = spec.maxWords();
    try (NDManager scope = manager.newSubManager()) {
      NDArray img = call(scope, ENCODE_IMAGE, "images: a float32 [2, 3, " + s + ", " + s + "] tensor",
          scope.zeros(new Shape(2, 3, s, s), DataType.FLOAT32));
      NDArray txt = call(scope, ENCODE_TEXT, "token_ids and attention_mask: two int64 [2, " + l + "] tensors",
          scope.zeros(new Shape(2, l), DataType.INT64), scope.ones(new Shape(2, l), DataType.INT64));
      for (Map.Entry<String, NDArray> e : Map.of(ENCODE_IMAGE, img, ENCODE_TEXT, txt).entrySet()) {
        Shape shape = e.getValue().getShape();
        if (shape.dimension() != 2 || shape.get(0) != 2) {
          throw new InvalidInputException(source + ": " + e.getKey() + " returned a tensor of shape " + shape
              + " for a batch of 2: expected [B, D]");
        }
      }
      if (img.getShape().get(1) != txt.getShape().get(1)) {
        throw new InvalidInputException(
            source + ": encode_image gives " + img.getShape().get(1) + "-dimensional embeddings, "
                + "encode_text " + txt.getShape().get(1) + ": expected one embedding size for both");
      }
      NDList both;
      try {
        both = forward(scope, false, scope.zeros(new Shape(2, 3, s, s), DataType.FLOAT32),
            scope.zeros(new Shape(2, l), DataType.INT64), scope.ones(new Shape(2, l), DataType.INT64));
      } catch (RuntimeException e) {
        throw new InvalidInputException(
            source + ": forward failed when called with images, token_ids and attention_mask ("
                + firstLine(e) + "): " + CONTRACT,
            e);
      }
      if (both.size() < 2 || !both.get(0).getShape().equals(img.getShape())
          || !both.get(1).getShape().equals(txt.getShape())) {
        throw new InvalidInputException(source + ": forward returned " + both.size() + " tensors of shapes "
            + both.stream().map(a -> a.getShape().toString()).toList() + ": expected (image_embeddings "
            + img.getShape()
            + ", text_embeddings " + txt.getShape() + "[, ...]) as encode_image and encode_text give");
      }
      return Math.toIntExact(img.getShape().get(1));
    }
  }

  @Override
  public ParameterGroups parameterGroups() {
    return new ParameterGroups() {
      @Override
      public List<String> frozenPrefixes() {
        return spec.freeze();
      }

      @Override
      public double learningRate(String parameter, double scheduled, double base) {
        return spec.learningRate(parameter, scheduled, base);
      }

      @Override
      public boolean decays(String parameter, int dimensions) {
        return ParameterGroups.clipDecays(parameter, dimensions);
      }
    };
  }

  /** Frozen module parameters need no gradients: backward skips a frozen tower entirely. */
  @Override
  public void freeze(Predicate<String> frozen) {
    parameters.forEach((name, p) -> {
      if (frozen.test(name)) {
        p.setRequiresGradient(false);
      }
    });
  }

  @Override
  public void checkTokenizer(CaptionTokenizer tokenizer) {
    checkVocabulary(tokenizer.vocabSize(), tokenizer.source());
  }

  /** Checks that every id of a tokenizer with {@code vocabSize} ids is accepted by {@code encode_text}. */
  private void checkVocabulary(int vocabSize, String tokenizer) {
    try (NDManager scope = manager.newSubManager()) {
      int l = 2;
      NDArray ids = scope.full(new Shape(1, l), vocabSize - 1, DataType.INT64);
      call(scope, ENCODE_TEXT, "token_ids holding " + (vocabSize - 1) + ", the largest id of " + tokenizer
          + " (" + vocabSize + " ids): does the model's token embedding have fewer rows than the tokenizer has ids?",
          ids, scope.ones(new Shape(1, l), DataType.INT64));
    }
  }

  private NDArray call(NDManager scope, String method, String inputs, NDArray... args) {
    setTraining(false);
    IValue[] in = new IValue[args.length];
    for (int i = 0; i < args.length; i++) {
      in[i] = IValue.from((PtNDArray) args[i]);
    }
    IValue out;
    try {
      out = IValueUtils.runMethod(module, method, in);
    } catch (RuntimeException e) {
      throw new InvalidInputException(source + ": " + method + " failed when called with " + inputs + " ("
          + firstLine(e) + "): " + CONTRACT, e);
    } finally {
      for (IValue v : in) {
        v.close();
      }
    }
    try {
      if (!out.isTensor()) {
        String what = out.isTuple()
            ? "a tuple of " + out.toIValueTuple().length + " values"
            : out.isList() || out.isTensorList() ? "a list" : "a " + out.getType();
        throw new InvalidInputException(source + ": " + method + " returned " + what + ": expected one tensor [B, D]");
      }
      return out.toTensor((PtNDManager) scope);
    } finally {
      out.close();
    }
  }

  public Path source() {
    return source;
  }

  public TorchScriptSpec spec() {
    return spec;
  }

  @Override
  public Map<String, NDArray> parameterArrays() {
    return parameters;
  }

  @Override
  public Map<String, float[]> parameterValues() {
    Map<String, float[]> out = new LinkedHashMap<>();
    parameters.forEach((k, v) -> out.put(k, HostCopies.floats(v)));
    return out;
  }

  /**
   * Overwrites every parameter in place with {@code values}, one at a time. From a checkpoint ({@link StoredFloats})
   * each CPU parameter's bytes are read from the file straight into the tensor's memory: no Java array and no direct
   * buffer that only a garbage collection would free (DJL's {@code create(float[])} makes one), which, for a CLIP-sized
   * module restored for evaluation, left the process ≈ 1.3 GB larger for the next run. A mismatch found part-way
   * leaves the model partly loaded: callers discard it (the exception ends its assembly).
   */
  @Override
  public void loadParameters(Map<String, float[]> values, String from) {
    if (!values.keySet().equals(parameters.keySet())) {
      throw new InvalidInputException(from + ": its parameters " + values.keySet() + " do not match the module's "
          + parameters.keySet() + " (" + source + ")");
    }
    Autograd.offOnThisThread();
    boolean littleEndian = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      if (values instanceof StoredFloats stored && littleEndian && !p.getDevice().isGpu()
          && TensorMemory.isContiguous((PtNDArray) p)) {
        requireLength(from, name, stored.length(name), p);
        stored.readInto(name, p.toByteBuffer(true)); // the tensor's own memory: an in-place write
        continue;
      }
      float[] v = values.get(name);
      requireLength(from, name, v.length, p);
      // the module owns its tensors, so they are overwritten in place by arithmetic (p − p + v), not by set(Buffer);
      // the temporary goes with its own scope, parameter by parameter
      try (NDManager scope = manager.newSubManager()) {
        p.subi(p).addi(scope.create(v, p.getShape()));
      }
    }
  }

  private void requireLength(String from, String name, long length, NDArray p) {
    if (length != p.getShape().size()) {
      throw new InvalidInputException(
          from + ": parameter " + name + " has " + length + " values, the module's has shape "
              + p.getShape());
    }
  }

  @Override
  public NDArray logitScale() {
    return useLogitScale ? parameters.get(LOGIT_SCALE) : null;
  }

  /** Sets the logit scale parameter to {@code logScale} in place (a fresh run's starting value). */
  public void startLogitScaleAt(double logScale) {
    NDArray p = parameters.get(LOGIT_SCALE);
    try (NDManager scope = p.getManager().newSubManager()) {
      NDArray v = scope.create((float) logScale).toType(p.getDataType(), true);
      p.subi(p).addi(v);
    }
  }

  @Override
  public int embedDim() {
    return embedDim;
  }

  @Override
  public void beginStep(long stepSeed) {
    JniUtils.setSeed(stepSeed);
  }

  private void setTraining(boolean on) {
    if (training == null || training != on) {
      if (on) {
        JniUtils.enableTrainingMode(module);
      } else {
        JniUtils.enableInferenceMode(module);
      }
      training = on;
    }
  }

  @Override
  public NDArray encodeImages(NDManager scope, RegionBatch batch, boolean train) {
    return Layers.l2normalize(run(scope, ENCODE_IMAGE, train, pixels(scope, batch)));
  }

  private NDArray pixels(NDManager scope, RegionBatch batch) {
    int s = spec.imageSize();
    if ((long) batch.regions() * batch.dim() != 3L * s * s) {
      throw new InvalidInputException("model torchscript (image_size=" + s + ") reads 3 × " + s + " × " + s
          + " pixels per image, the dataset gives " + batch.regions() + " × " + batch.dim()
          + " features: use a raw-image dataset (kind karpathy, or synthetic with images: true)");
    }
    return scope.create(batch.features(), new Shape(batch.size(), 3, s, s));
  }

  @Override
  public NDArray encodeTexts(NDManager scope, TokenBatch tokens, boolean train) {
    NDArray[] in = textInputs(scope, tokens);
    return Layers.l2normalize(run(scope, ENCODE_TEXT, train, in[0], in[1]));
  }

  private static NDArray[] textInputs(NDManager scope, TokenBatch tokens) {
    long[] ids = new long[tokens.ids().length];
    long[] mask = new long[ids.length];
    for (int b = 0; b < tokens.size(); b++) {
      for (int t = 0; t < tokens.length(); t++) {
        int i = b * tokens.length() + t;
        ids[i] = tokens.ids()[i];
        mask[i] = t < tokens.lengths()[b] ? 1 : 0;
      }
    }
    Shape shape = new Shape(tokens.size(), tokens.length());
    return new NDArray[]{scope.create(ids, shape), scope.create(mask, shape)};
  }

  @Override
  public NDArray[] encodePairs(NDManager scope, RegionBatch images, TokenBatch tokens, boolean train) {
    NDArray[] text = textInputs(scope, tokens);
    NDList out = forward(scope, train, pixels(scope, images), text[0], text[1]);
    return new NDArray[]{Layers.l2normalize(out.get(0)), Layers.l2normalize(out.get(1))};
  }

  /** The module's forward, with gradients recorded when {@code train} (inside a GradientCollector). */
  private NDList forward(NDManager scope, boolean train, NDArray images, NDArray ids, NDArray mask) {
    setTraining(train);
    NDList out = IValueUtils.forward(module, new NDList(images, ids, mask), train);
    out.attach(scope);
    return out;
  }

  private NDArray run(NDManager scope, String method, boolean train, NDArray... args) {
    setTraining(train);
    IValue[] in = new IValue[args.length];
    for (int i = 0; i < args.length; i++) {
      in[i] = IValue.from((PtNDArray) args[i]);
    }
    try (IValue out = IValueUtils.runMethod(module, method, in)) {
      return out.toTensor((PtNDManager) scope);
    } finally {
      for (IValue v : in) {
        v.close();
      }
    }
  }

  /**
   * Writes the module with its current parameters as TorchScript ({@code torch.jit.load} reads it), atomically,
   * holding CPU tensors wherever the model trains: a module on a GPU is written through a CPU copy (see
   * {@link TorchScriptExport}), so the file loads on machines without CUDA. {@code progress} runs after every chunk.
   */
  @Override
  public boolean export(Path file, Runnable progress) {
    return TorchScriptExport.write(module, source, sourceAsLoaded, parameters, file, manager.getDevice().isGpu(),
        progress);
  }

  /**
   * {@link #export(Path, Runnable)} by libtorch's serialiser, through a CPU copy of the module when {@code viaCpuCopy}
   * (always on a GPU): the route taken when the source's archive cannot be copied.
   */
  boolean exportSerialised(Path file, boolean viaCpuCopy) {
    return TorchScriptExport.serialise(module, source, parameters, file, viaCpuCopy, () -> {});
  }

  @Override
  public void close() {
    module.close();
    manager.close();
  }
}
