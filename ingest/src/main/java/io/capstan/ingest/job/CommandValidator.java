package io.capstan.ingest.job;

import io.capstan.runtime.source.SourceUrl;
import io.capstan.ingest.source.SrtEncryption;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Source;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.WebRecording;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a Start's JobSpec against recordingConfig's limits and Capstan's own rules. The answer is
 * the first problem as "{@code <field>: <what is wrong>}", which goes to the user in an error event,
 * so it names the field as the user wrote it in the spec.
 */
public final class CommandValidator {

  public static final int MIN_IDLE_SECONDS = 5;
  public static final int MAX_IDLE_SECONDS = 2_592_000;
  public static final int MAX_SIDE = 1920;
  public static final int MAX_PIXELS = 1920 * 1080;
  public static final int MAX_MIXED_VIDEO_UIDS = 17;
  static final int MAX_UID_BYTES = 255;

  private CommandValidator() {
  }

  /** The first problem of the spec, or empty when it can be started. */
  public static Optional<String> problem(JobSpec spec) {
    try {
      check(spec);
      return Optional.empty();
    } catch (Invalid e) {
      return Optional.of(e.getMessage());
    }
  }

  private static final class Invalid extends Exception {
    Invalid(String field, String what) {
      super(field + ": " + what, null, false, false);
    }
  }

  private static void check(JobSpec spec) throws Invalid {
    if (spec.getJobId() == null || spec.getJobId().isBlank()) {
      throw new Invalid("jobId", "must not be empty");
    }
    if (spec.getChannel() == null || spec.getChannel().isBlank()) {
      throw new Invalid("channel", "must not be empty");
    }
    int idle = spec.getMaxIdleTimeSeconds();
    if (idle < MIN_IDLE_SECONDS || idle > MAX_IDLE_SECONDS) {
      throw new Invalid("maxIdleTimeSeconds", "must be between " + MIN_IDLE_SECONDS + " and " + MAX_IDLE_SECONDS
          + ", got " + idle);
    }
    if (spec.getMode() == RecordingMode.WEB) {
      checkWeb(spec);
      return;
    }
    checkSources(spec.getSources());
    checkTranscoding(spec.getTranscoding(), 30);
    checkSubscriptions(spec.getSubscriptions(), spec.getMode());
    checkPacing(spec);
    checkDecryption(spec.getDecryption(), spec.getSources());
  }

  /**
   * A web job records one page (web.url) into a canvas of the viewport's size
   * (transcoding); its only source, if listed, is the page itself.
   */
  private static void checkWeb(JobSpec spec) throws Invalid {
    WebRecording web = spec.getWeb();
    if (web == null) {
      throw new Invalid("web", "a web recording needs the page to record (extensionServiceConfig)");
    }
    checkPageUrl("web.url", web.getUrl());
    if (web.getMaxRecordingHour() < 1 || web.getMaxRecordingHour() > 720) {
      throw new Invalid("web.maxRecordingHour", "must be between 1 and 720, got " + web.getMaxRecordingHour());
    }
    if (web.getReadyTimeoutSeconds() < 0 || web.getReadyTimeoutSeconds() > 60) {
      throw new Invalid("web.readyTimeoutSeconds", "must be between 0 and 60, got " + web.getReadyTimeoutSeconds());
    }
    for (int i = 0; i < web.getRtmpUrls().size(); i++) {
      String url = web.getRtmpUrls().get(i);
      String scheme = url == null ? null : scheme(url);
      if (!"rtmp".equals(scheme) && !"rtmps".equals(scheme)) {
        throw new Invalid("web.rtmpUrls[" + i + "]", "must be an rtmp:// or rtmps:// URL");
      }
    }
    if (spec.getTranscoding() == null) {
      throw new Invalid("transcoding", "a web recording needs the viewport size (videoWidth, videoHeight)");
    }
    checkTranscoding(spec.getTranscoding(), 60);
    if (spec.getTranscoding().getWidth() % 2 != 0 || spec.getTranscoding().getHeight() % 2 != 0) {
      throw new Invalid("transcoding.width", "the viewport must have an even width and height (I420)");
    }
    if (spec.getSources().size() > 1) {
      throw new Invalid("sources", "a web recording has the page as its only source");
    }
  }

  private static void checkPageUrl(String field, String url) throws Invalid {
    String scheme = url == null ? null : scheme(url);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new Invalid(field, "must be an http:// or https:// URL");
    }
  }

  private static String scheme(String url) {
    try {
      URI uri = new URI(url);
      return uri.getScheme() == null || uri.getHost() == null ? null : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static void checkSources(List<Source> sources) throws Invalid {
    Set<String> uids = new HashSet<>();
    for (int i = 0; i < sources.size(); i++) {
      Source source = sources.get(i);
      String field = "sources[" + i + "]";
      if (source.getUid() == null || source.getUid().isEmpty()) {
        throw new Invalid(field + ".uid", "must not be empty");
      }
      if (source.getUid().getBytes(StandardCharsets.UTF_8).length > MAX_UID_BYTES) {
        throw new Invalid(field + ".uid", "must be at most " + MAX_UID_BYTES + " bytes");
      }
      if (!uids.add(source.getUid())) {
        throw new Invalid(field + ".uid", "'" + source.getUid() + "' is listed twice");
      }
      if (!source.getAudio() && !source.getVideo()) {
        throw new Invalid(field, "audio and video are both false: the source would record nothing");
      }
      checkUrl(field + ".url", source.getUrl());
      if (source.getLowUrl() != null) {
        checkUrl(field + ".lowUrl", source.getLowUrl());
      }
    }
  }

  private static void checkUrl(String field, String url) throws Invalid {
    try {
      SourceUrl.parse(url);
    } catch (IllegalArgumentException e) {
      throw new Invalid(field, e.getMessage());
    }
  }

  private static void checkTranscoding(Transcoding t, int maxFps) throws Invalid {
    if (t == null) {
      return;
    }
    if (t.getWidth() < 2 || t.getWidth() > MAX_SIDE) {
      throw new Invalid("transcoding.width", "must be between 2 and " + MAX_SIDE + ", got " + t.getWidth());
    }
    if (t.getHeight() < 2 || t.getHeight() > MAX_SIDE) {
      throw new Invalid("transcoding.height", "must be between 2 and " + MAX_SIDE + ", got " + t.getHeight());
    }
    if ((long) t.getWidth() * t.getHeight() > MAX_PIXELS) {
      throw new Invalid("transcoding.width", "width x height must be at most 1920 x 1080 pixels, got "
          + t.getWidth() + " x " + t.getHeight());
    }
    if (t.getFps() < 1 || t.getFps() > maxFps) {
      throw new Invalid("transcoding.fps", "must be between 1 and " + maxFps + ", got " + t.getFps());
    }
  }

  private static void checkSubscriptions(Subscriptions s, RecordingMode mode) throws Invalid {
    if (s == null) {
      return;
    }
    if (present(s.getAudioUids()) && present(s.getUnsubscribeAudioUids())) {
      throw new Invalid("subscriptions.unsubscribeAudioUids", "cannot be used together with subscriptions.audioUids");
    }
    if (present(s.getVideoUids()) && present(s.getUnsubscribeVideoUids())) {
      throw new Invalid("subscriptions.unsubscribeVideoUids", "cannot be used together with subscriptions.videoUids");
    }
    List<String> video = s.getVideoUids();
    if (mode == RecordingMode.COMPOSITE && video != null && !video.contains(SubscriptionFilter.ALL_STREAMS)
        && video.size() > MAX_MIXED_VIDEO_UIDS) {
      throw new Invalid("subscriptions.videoUids", "at most " + MAX_MIXED_VIDEO_UIDS
          + " uids can be mixed in one layout, got " + video.size());
    }
  }

  private static boolean present(List<String> uids) {
    return uids != null && !uids.isEmpty();
  }

  private static void checkPacing(JobSpec spec) throws Invalid {
    if (spec.getPacing() != Pacing.FAST || spec.getPostProcessing() != null) {
      return;
    }
    if (spec.getSources().isEmpty()) {
      throw new Invalid("pacing", "FAST needs sources named in the job; a channel directory job plays in real time");
    }
    for (int i = 0; i < spec.getSources().size(); i++) {
      if (!SourceUrl.parse(spec.getSources().get(i).getUrl()).fileLike()) {
        throw new Invalid("pacing", "FAST needs every source to be a file or lavfi graph; sources[" + i
            + "] is a live stream");
      }
    }
  }

  private static void checkDecryption(Decryption d, List<Source> sources) throws Invalid {
    if (d == null || d.getMode() == 0) {
      return;
    }
    int mode = d.getMode();
    if (SrtEncryption.keyLength(mode).isEmpty()) {
      throw new Invalid("decryption.mode", mode + " (" + SrtEncryption.modeName(mode) + ") cannot be mapped onto a "
          + "source's encryption; Capstan decrypts SRT sources with AES-128 (modes 1, 2, 5, 7) or AES-256 "
          + "(modes 3, 6, 8)");
    }
    String secret = d.getSecret();
    if (secret == null || secret.length() < SrtEncryption.MIN_PASSPHRASE
        || secret.length() > SrtEncryption.MAX_PASSPHRASE) {
      throw new Invalid("decryption.secret", "must be " + SrtEncryption.MIN_PASSPHRASE + " to "
          + SrtEncryption.MAX_PASSPHRASE + " characters (it is the SRT passphrase)");
    }
    for (int i = 0; i < sources.size(); i++) {
      String scheme = SourceUrl.parse(sources.get(i).getUrl()).scheme();
      if (!scheme.equals("srt")) {
        throw new Invalid("decryption.mode", "applies to srt sources only; sources[" + i + "] is " + scheme);
      }
    }
  }
}
