package io.capstan.webrtc;

/** What a receive session asks for: a kind not asked for is answered or offered inactive. */
public record ReceiveOptions(boolean audio, boolean video) {

  public static final ReceiveOptions BOTH = new ReceiveOptions(true, true);
}
