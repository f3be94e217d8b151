package dev.lossbench.retrieval.model;

import static dev.lossbench.retrieval.model.TorchScriptDualEncoder.ENCODE_IMAGE;
import static dev.lossbench.retrieval.model.TorchScriptDualEncoder.ENCODE_TEXT;
import static dev.lossbench.retrieval.model.TorchScriptDualEncoder.LOGIT_SCALE;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import dev.lossbench.retrieval.InvalidInputException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calling contract of a {@link TorchScriptDualEncoder}'s module, as its errors state it: what a loaded module
 * must have (the two exported methods, float32 parameters, a scalar {@code logit_scale} when the loss learns its
 * temperature), and the line of a libtorch error that says what went wrong. What the module's methods return is
 * checked by calling them once ({@code TorchScriptDualEncoder.probe}).
 */
final class TorchScriptContract {
  static final String CONTRACT = "expected a module scripted with torch.jit.script that has "
      + "forward(images, token_ids, attention_mask) -> (image_embeddings, text_embeddings[, ...]), "
      + "encode_image(images) -> Tensor[B, D] and encode_text(token_ids, attention_mask) -> Tensor[B, D], "
      + "the last two marked @torch.jit.export";
  private static final String INTERPRETER_FAILED = "The following operation failed in the TorchScript interpreter";

  private TorchScriptContract() {}

  /**
   * {@code module}'s parameters by name, checked: it has both exported methods and parameters, all float32, and a
   * scalar {@code logit_scale} when {@code learnableScale}; anything else is an error naming {@code file}.
   */
  static Map<String, NDArray> parameters(Path file, PtSymbolBlock module, boolean learnableScale) {
    List<String> methods = Arrays.asList(JniUtils.getMethodNames(module));
    for (String m : List.of(ENCODE_IMAGE, ENCODE_TEXT)) {
      if (!methods.contains(m)) {
        throw new InvalidInputException(
            file + ": the module has no method " + m + " (it has " + methods + "): " + CONTRACT);
      }
    }
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : module.getDirectParameters()) {
      NDArray a = p.getValue().getArray();
      if (a.getDataType() != DataType.FLOAT32) {
        throw new InvalidInputException(file + ": parameter " + p.getKey() + " is " + a.getDataType()
            + ": expected float32 parameters (export the model in float32)");
      }
      params.put(p.getKey(), a);
    }
    if (params.isEmpty()) {
      throw new InvalidInputException(file + ": the module has no parameters: " + CONTRACT);
    }
    if (learnableScale) {
      NDArray scale = params.get(LOGIT_SCALE);
      if (scale == null || scale.getShape().size() != 1) {
        throw new InvalidInputException(
            file + ": the loss learns its temperature but the module has no scalar parameter "
                + LOGIT_SCALE + " (log(1/τ), as CLIP's): add one or use a fixed temperature");
      }
    }
    return params;
  }

  /**
   * The line of a libtorch error that says what went wrong. The TorchScript interpreter's message opens with "The
   * following operation failed in the TorchScript interpreter" and a 40-line trace; its cause (the expected and the
   * actual shape) is the last line, which a terminal cuts off.
   */
  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage()).strip();
    if (m.startsWith(INTERPRETER_FAILED)) {
      String[] lines = m.split("\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        if (!lines[i].isBlank()) {
          return lines[i].strip();
        }
      }
    }
    for (String line : m.split("\n")) {
      if (!line.isBlank() && !line.startsWith("Traceback") && !line.startsWith("  File")) {
        return line.strip();
      }
    }
    return m;
  }
}
