package io.capstan.mixer.encoder;

import io.capstan.schemas.Packet;
import java.util.List;

/** Encodes the composite's mixed audio: blocks of {@link AudioEncoder#FRAME_SIZE} interleaved s16 samples at 48 kHz. */
public interface BlockEncoder extends AutoCloseable {

  /** Encodes one block that starts at output sample {@code firstSample} (48 kHz). */
  List<Packet> encode(short[] interleaved, long firstSample);

  List<Packet> flush();

  @Override
  void close();
}
