package io.capstan.mixer.handover;

/**
 * The earliest input a job's next owner would need: media from these instants on (and the picture
 * on screen at the video one).
 *
 * @param videoFromUs Long.MIN_VALUE: every record so far; Long.MAX_VALUE: none
 * @param audioFromUs likewise for audio
 */
public record InputNeeds(long videoFromUs, long audioFromUs) {

  /** A job whose output has not started: all its input. */
  public static final InputNeeds ALL = new InputNeeds(Long.MIN_VALUE, Long.MIN_VALUE);
  /** A job that keeps no input for a successor (it resumes from where the commit left it). */
  public static final InputNeeds NONE = new InputNeeds(Long.MAX_VALUE, Long.MAX_VALUE);
}
