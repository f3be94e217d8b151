package dev.lossbench.retrieval.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import dev.lossbench.retrieval.InvalidInputException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * CLIP-style preprocessing through DJL's image API: decode, resize so the shorter side is
 * {@code size}, centre-crop {@code size × size}, scale to [0, 1] and normalise each RGB channel
 * with {@code (x − mean) / std}; written channels-first ({@code 3 × size × size}).
 */
public record ImagePreprocessing(int size, float[] mean, float[] std) {
  /** OpenAI CLIP's ViT-B preprocessing: 224 pixels, its mean and standard deviation. */
  public static final ImagePreprocessing CLIP_224 = new ImagePreprocessing(224,
      new float[]{0.48145466f, 0.4578275f, 0.40821073f}, new float[]{0.26862954f, 0.26130258f, 0.27577711f});

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
    BufferedImage decoded;
    try {
      decoded = ImageIO.read(file.toFile());
      if (decoded == null) {
        throw new IOException("no image reader recognises it");
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file + ": cannot be decoded as an image (" + e.getMessage() + ")", e);
    }
    Image image = ImageFactory.getInstance().fromImage(asRgb(decoded));
    int w = image.getWidth();
    int h = image.getHeight();
    double scale = (double) size / Math.min(w, h);
    int nw = Math.max(size, (int) Math.round(w * scale));
    int nh = Math.max(size, (int) Math.round(h * scale));
    Image resized = nw == w && nh == h ? image : image.resize(nw, nh, false);
    Image crop = resized.getSubImage((nw - size) / 2, (nh - size) / 2, size, size);
    if (!(crop.getWrappedImage() instanceof BufferedImage pixels)) {
      throw new IllegalStateException(
          "DJL's image factory is not the java.awt one: " + crop.getWrappedImage().getClass());
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

  /**
   * A greyscale image (PNG or JPEG, 8 or 16 bits, with or without alpha) as RGB with each grey level copied to the
   * three channels, as PIL's {@code convert("RGB")} in CLIP's preprocessing does. Java's own conversion treats
   * grey as linear light and brightens it to sRGB (grey 128 became 186–222); colour images pass unchanged.
   */
  static BufferedImage asRgb(BufferedImage image) {
    if (image.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
      return image;
    }
    Raster raster = image.getRaster();
    int bits = image.getColorModel().getComponentSize(0);
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        // 16-bit grey to 8 bits by rounding, as PIL does (v / 257)
        int v = bits == 8 ? row[x] : (int) Math.round(row[x] * 255.0 / ((1 << bits) - 1));
        rgb.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    return rgb;
  }
}
