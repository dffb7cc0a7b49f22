package io.capstan.segmenter.mux;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Top-level ISO BMFF boxes: splits a fragmented MP4 into its init and media segments. */
public final class Fmp4Boxes {

  private Fmp4Boxes() {
  }

  /** An fMP4 file cut before its first {@code moof}: init ({@code ftyp}, {@code moov}) and media. */
  public record Split(byte[] init, byte[] media) {
  }

  public static Split split(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file);
    int at = 0;
    while (at + 8 <= file.length) {
      long size = Integer.toUnsignedLong(b.getInt(at));
      String type = new String(file, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (type.equals("moof")) {
        return new Split(Arrays.copyOfRange(file, 0, at), Arrays.copyOfRange(file, at, file.length));
      }
      if (size == 1 && at + 16 <= file.length) {
        size = b.getLong(at + 8);
      }
      if (size < 8) {
        break;
      }
      at += (int) size;
    }
    throw new IllegalArgumentException("not a fragmented MP4: no moof box");
  }
}
