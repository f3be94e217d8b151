package dev.lossbench.retrieval.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import dev.lossbench.retrieval.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * CLIP-style preprocessing through DJL's image API: decode, resize so the shorter side is
 * {@code size}, centre-crop {@code size × size}, scale to [0, 1] and normalise each RGB channel
 * with {@code (x − mean) / std}; written channels-first ({@code 3 × size × size}).
 */
public record ImagePreprocessing(int size, float[] mean, float[] std) {
  /** OpenAI CLIP's ViT-B preprocessing: 224 pixels, its mean and standard deviation. */
  public static final ImagePreprocessing CLIP_224 = new ImagePreprocessing(224,
      new float[] {0.48145466f, 0.4578275f, 0.40821073f}, new float[] {0.26862954f, 0.26130258f, 0.27577711f});

  public ImagePreprocessing {
    if (size < 1 || mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("size " + size + ", mean and std of 3 channels expected");
    }
  }

  /** Floats per preprocessed image. */
  public int floats() {
    return 3 * size * size;
  }

  /** Decodes {@code file} and writes its {@link #floats()} values into {@code dst} at {@code offset}. */
  public void read(Path file, float[] dst, int offset) {
    Image image;
    try {
      image = ImageFactory.getInstance().fromFile(file);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file + ": cannot be decoded as an image (" + e.getMessage() + ")", e);
    }
    int w = image.getWidth();
    int h = image.getHeight();
    double scale = (double) size / Math.min(w, h);
    int nw = Math.max(size, (int) Math.round(w * scale));
    int nh = Math.max(size, (int) Math.round(h * scale));
    Image resized = nw == w && nh == h ? image : image.resize(nw, nh, false);
    Image crop = resized.getSubImage((nw - size) / 2, (nh - size) / 2, size, size);
    if (!(crop.getWrappedImage() instanceof BufferedImage pixels)) {
      throw new IllegalStateException("DJL's image factory is not the java.awt one: " + crop.getWrappedImage().getClass());
    }
    int plane = size * size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int rgb = pixels.getRGB(x, y);
        int at = offset + y * size + x;
        dst[at] = (((rgb >> 16) & 0xff) / 255f - mean[0]) / std[0];
        dst[at + plane] = (((rgb >> 8) & 0xff) / 255f - mean[1]) / std[1];
        dst[at + 2 * plane] = ((rgb & 0xff) / 255f - mean[2]) / std[2];
      }
    }
  }
}
