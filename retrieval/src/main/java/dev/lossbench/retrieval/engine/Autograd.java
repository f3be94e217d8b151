package dev.lossbench.retrieval.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's gradient-recording mode is per thread and on by default; DJL switches it off only on
 * the thread that loads the engine, and a {@code GradientCollector} switches it on and back.
 * Worker threads (Temporal's activity pool) start with it on, so parameter updates — in-place
 * operations on tensors that require gradients — would fail there, and evaluation would record
 * graphs it never uses. Every thread that trains or evaluates calls {@link #offOnThisThread()}.
 */
public final class Autograd {
  private Autograd() {}

  public static void offOnThisThread() {
    if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
      JniUtils.setGradMode(false);
    }
  }
}
