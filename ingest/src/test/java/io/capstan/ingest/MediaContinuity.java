package io.capstan.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.schemas.AudioFrame;
import io.capstan.schemas.MediaRecord;
import io.capstan.schemas.VideoFrame;
import java.util.Comparator;
import java.util.List;

/**
 * How whole one uid's media on capstan.frames is, whoever wrote it: its pictures and its sound in
 * timeline order, the widest hole and the most that two consecutive pieces overlap (two writers at
 * once). What a listener or viewer of the recording would notice at a hand-over.
 */
record MediaContinuity(String uid, int pictures, long widestPictureHoleUs, long closestPicturesUs,
                       int shortPictureSteps, int sounds, long widestSoundHoleUs, long widestSoundOverlapUs) {

  /** 15 fps sources: a picture every 66.7 ms; more than three intervals apart is a hole one sees. */
  static final long MAX_PICTURE_HOLE_US = 200_000;
  /**
   * Two writers of one picture stream put pictures closer together than half an interval, again and
   * again while both write. A hand-over's seam may do it once: the next owner's first picture
   * follows the previous owner's last at whatever phase its own reading of the stream has.
   */
  static final long MIN_PICTURE_STEP_US = 33_000;
  /** An audio frame is about 21 ms: a hole of a few frames is a click one hears. */
  static final long MAX_SOUND_HOLE_US = 50_000;
  static final long MAX_SOUND_OVERLAP_US = 5_000;

  static MediaContinuity of(List<MediaRecord> records, String uid) {
    List<MediaRecord> video = records.stream().filter(r -> uid.equals(r.getUid()) && r.getBody() instanceof VideoFrame)
        .sorted(Comparator.comparingLong(MediaRecord::getTimestampUs)).toList();
    long widestPictureHole = 0;
    long closestPictures = Long.MAX_VALUE;
    int shortSteps = 0;
    for (int i = 1; i < video.size(); i++) {
      long step = video.get(i).getTimestampUs() - video.get(i - 1).getTimestampUs();
      widestPictureHole = Math.max(widestPictureHole, step);
      closestPictures = Math.min(closestPictures, step);
      if (step < MIN_PICTURE_STEP_US) {
        shortSteps++;
      }
    }
    List<MediaRecord> audio = records.stream().filter(r -> uid.equals(r.getUid()) && r.getBody() instanceof AudioFrame)
        .sorted(Comparator.comparingLong(MediaRecord::getTimestampUs)).toList();
    long widestSoundHole = 0;
    long widestSoundOverlap = 0;
    for (int i = 1; i < audio.size(); i++) {
      long previousEnd = audio.get(i - 1).getTimestampUs() + durationUs((AudioFrame) audio.get(i - 1).getBody());
      long next = audio.get(i).getTimestampUs();
      widestSoundHole = Math.max(widestSoundHole, next - previousEnd);
      widestSoundOverlap = Math.max(widestSoundOverlap, previousEnd - next);
    }
    return new MediaContinuity(uid, video.size(), widestPictureHole, closestPictures, shortSteps, audio.size(),
        widestSoundHole, widestSoundOverlap);
  }

  void assertSeamless() {
    assertThat(pictures).as("pictures of uid %s", uid).isGreaterThan(30);
    assertThat(sounds).as("sound frames of uid %s", uid).isGreaterThan(30);
    assertThat(widestPictureHoleUs).as("widest hole between pictures of uid %s (us)", uid)
        .isLessThanOrEqualTo(MAX_PICTURE_HOLE_US);
    assertThat(shortPictureSteps).as("pictures of uid %s closer than %d us (closest %d us): two writers at once", uid,
        MIN_PICTURE_STEP_US, closestPicturesUs).isLessThanOrEqualTo(1);
    assertThat(widestSoundHoleUs).as("widest hole in the sound of uid %s (us)", uid)
        .isLessThanOrEqualTo(MAX_SOUND_HOLE_US);
    assertThat(widestSoundOverlapUs).as("widest overlap in the sound of uid %s (us): two writers at once", uid)
        .isLessThanOrEqualTo(MAX_SOUND_OVERLAP_US);
  }

  private static long durationUs(AudioFrame frame) {
    int bytesPerFrame = 2 * Math.max(1, frame.getChannels());
    return frame.getSamples().remaining() / bytesPerFrame * 1_000_000L / Math.max(1, frame.getSampleRate());
  }

  @Override
  public String toString() {
    return String.format("uid %s: %d pictures, widest hole %d ms, closest %d ms; %d sound frames, widest hole %d ms,"
            + " widest overlap %d ms", uid, pictures, widestPictureHoleUs / 1000, closestPicturesUs / 1000, sounds,
        widestSoundHoleUs / 1000, widestSoundOverlapUs / 1000);
  }
}
