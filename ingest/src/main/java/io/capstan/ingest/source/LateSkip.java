package io.capstan.ingest.source;

/**
 * Whether a live composite source is too far behind the wall clock to be worth publishing: its
 * pictures would reach the mixer after their instants were made and be dropped there. It decodes
 * on (the codec needs every frame) without scaling or sending, which frees the CPU it needs to
 * catch up. Skipping starts beyond the limit and stops once the source is back within half of it,
 * so a source hovering at the limit does not flicker between the two.
 */
final class LateSkip {

  private final long limitUs;
  private boolean skipping;

  /** @param limitUs how far behind skipping starts; 0 or less: never */
  LateSkip(long limitUs) {
    this.limitUs = limitUs;
  }

  /** @param behindUs how far the picture at hand is behind the wall clock */
  boolean skip(long behindUs) {
    if (limitUs <= 0) {
      return false;
    }
    if (!skipping && behindUs > limitUs) {
      skipping = true;
    } else if (skipping && behindUs <= limitUs / 2) {
      skipping = false;
    }
    return skipping;
  }

  boolean skipping() {
    return skipping;
  }
}
