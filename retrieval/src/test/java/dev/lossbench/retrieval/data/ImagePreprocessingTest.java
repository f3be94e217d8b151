package dev.lossbench.retrieval.data;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Greyscale PNG and JPEG decode to the grey level itself on all three channels (PIL's convert("RGB"), which CLIP's
 * preprocessing uses). Today Java's colour conversion read them as linear light: grey 128 came out as 186 or more.
 */
class ImagePreprocessingTest {
  /** Mean 0, std 1: the floats are the channel values / 255. */
  static final ImagePreprocessing RAW = new ImagePreprocessing(8, new float[]{0, 0, 0}, new float[]{1, 1, 1});

  @TempDir
  Path dir;

  @Test
  void grey128In8BitPngAndJpegStays128() throws Exception {
    for (String format : new String[]{"png", "jpg"}) {
      BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
      fill(grey.getRaster(), 128);
      assertAllChannels(write(grey, format), 128 / 255f, format);
    }
  }

  @Test
  void sixteenBitGreyPngRoundsToEightBits() throws Exception {
    BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_USHORT_GRAY);
    fill(grey.getRaster(), 128 * 257);
    assertAllChannels(write(grey, "png"), 128 / 255f, "16-bit png");
  }

  @Test
  void colourImagesAreUnchanged() throws Exception {
    BufferedImage rgb = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        rgb.setRGB(x, y, (200 << 16) | (128 << 8) | 7);
      }
    }
    float[] v = new float[RAW.floats()];
    RAW.read(write(rgb, "png"), v, 0);
    int plane = 8 * 8;
    for (int i = 0; i < plane; i++) {
      assertEquals(200 / 255f, v[i], 0f);
      assertEquals(128 / 255f, v[i + plane], 0f);
      assertEquals(7 / 255f, v[i + 2 * plane], 0f);
    }
  }

  private Path write(BufferedImage image, String format) throws Exception {
    Path file = dir.resolve("image-" + image.getType() + "." + format);
    assertTrue(ImageIO.write(image, format, file.toFile()), format);
    return file;
  }

  private static void fill(WritableRaster raster, int value) {
    for (int y = 0; y < raster.getHeight(); y++) {
      for (int x = 0; x < raster.getWidth(); x++) {
        raster.setSample(x, y, 0, value);
      }
    }
  }

  private static void assertAllChannels(Path file, float want, String what) {
    float[] v = new float[RAW.floats()];
    RAW.read(file, v, 0);
    for (int i = 0; i < v.length; i++) {
      assertEquals(want, v[i], 0f, what + " value " + i + ": " + Math.round(v[i] * 255) + " for grey 128");
    }
  }
}
