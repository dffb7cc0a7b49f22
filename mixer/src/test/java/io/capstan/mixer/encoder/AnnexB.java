package io.capstan.mixer.encoder;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** NAL unit types of an H.264 Annex B access unit (test helper). */
public final class AnnexB {

  private AnnexB() {
  }

  public static List<Integer> nalTypes(ByteBuffer data) {
    byte[] b = new byte[data.remaining()];
    data.duplicate().get(b);
    List<Integer> types = new ArrayList<>();
    for (int i = 0; i + 3 < b.length; i++) {
      if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
        types.add(b[i + 3] & 0x1f);
        i += 2;
      }
    }
    return types;
  }
}
