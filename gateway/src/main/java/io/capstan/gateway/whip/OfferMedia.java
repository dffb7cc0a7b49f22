package io.capstan.gateway.whip;

/** What a publisher's SDP offer sends: an m= section that is neither disabled (port 0) nor receive-only or inactive. */
record OfferMedia(boolean audio, boolean video) {

  static OfferMedia of(String sdp) {
    boolean audio = false;
    boolean video = false;
    String kind = null;
    boolean sends = false;
    for (String raw : sdp.split("\r?\n")) {
      String line = raw.trim();
      if (line.startsWith("m=")) {
        audio |= "audio".equals(kind) && sends;
        video |= "video".equals(kind) && sends;
        String[] fields = line.substring(2).split(" ");
        kind = fields[0];
        sends = fields.length > 1 && !fields[1].equals("0");
      } else if (kind != null && (line.equals("a=recvonly") || line.equals("a=inactive"))) {
        sends = false;
      }
    }
    audio |= "audio".equals(kind) && sends;
    video |= "video".equals(kind) && sends;
    return new OfferMedia(audio, video);
  }

  @Override
  public String toString() {
    return audio && video ? "audio and video" : audio ? "audio only" : "video only";
  }
}
