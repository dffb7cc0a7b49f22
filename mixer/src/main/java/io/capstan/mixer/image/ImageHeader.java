package io.capstan.mixer.image;

import io.capstan.mixer.compositor.ImageDecoder.Format;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An image's format and size, read from its header alone (ImageIO's readers stop at PNG's IHDR,
 * JPEG's SOF, the GIF and BMP headers), so a picture too large to decode is refused before a
 * single pixel is allocated for it.
 */
record ImageHeader(Format format, int width, int height) {

  static ImageHeader read(byte[] image) throws ImageException {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(image))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      while (readers.hasNext()) {
        ImageReader reader = readers.next();
        Format format = formatOf(reader.getFormatName());
        if (format == null) {
          reader.dispose();
          continue;
        }
        try {
          reader.setInput(in, true, true);
          int width = reader.getWidth(0);
          int height = reader.getHeight(0);
          if (format == Format.GIF) {
            // FFmpeg allocates the GIF's logical screen, which may be larger than its first image
            width = Math.max(width, littleEndian16(image, 6));
            height = Math.max(height, littleEndian16(image, 8));
          }
          return new ImageHeader(format, width, height);
        } finally {
          reader.dispose();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new ImageException("its header cannot be read (" + e.getMessage() + ")");
    }
    throw new ImageException("it is not a PNG, JPEG, GIF or BMP image");
  }

  long pixels() {
    return (long) width * height;
  }

  /** @throws ImageException when the picture is larger than {@code maxPixels} */
  void check(long maxPixels) throws ImageException {
    if (width < 1 || height < 1) {
      throw new ImageException("it says it is " + width + "x" + height + " pixels");
    }
    if (pixels() > maxPixels) {
      throw new ImageException("it is " + width + "x" + height + " pixels, more than the " + maxPixels
          + " the mixer decodes (" + ImageSettings.MAX_PIXELS.name() + ")");
    }
  }

  private static Format formatOf(String imageIoName) {
    return switch (imageIoName.toLowerCase(Locale.ROOT)) {
      case "png" -> Format.PNG;
      case "jpeg", "jpg" -> Format.JPEG;
      case "gif" -> Format.GIF;
      case "bmp" -> Format.BMP;
      default -> null;
    };
  }

  private static int littleEndian16(byte[] b, int at) {
    return b.length < at + 2 ? 0 : (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }
}
