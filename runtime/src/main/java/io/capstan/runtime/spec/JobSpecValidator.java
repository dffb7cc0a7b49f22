package io.capstan.runtime.spec;

import io.capstan.runtime.source.LavfiGraph;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.source.SourceUrl;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Source;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.WebRecording;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one check of a recording request: the gateway runs it on the spec it built before it answers
 * a start, and ingest runs it again on every command (commands also arrive straight on
 * {@code capstan.commands}). The answer is the first problem, naming the field as the spec names
 * it ({@code decryption.secret}); the gateway translates that to the request's own field names.
 */
public final class JobSpecValidator {

  public static final int MIN_IDLE_SECONDS = 5;
  public static final int MAX_IDLE_SECONDS = 2_592_000;
  public static final int MAX_SIDE = 1920;
  public static final int MAX_PIXELS = 1920 * 1080;
  public static final int MAX_MIXED_VIDEO_UIDS = 17;
  static final String ALL_STREAMS = "#allstream#";

  private final SourcePolicy sources;
  private final SpecLimits limits;

  public JobSpecValidator(SourcePolicy sources, SpecLimits limits) {
    this.sources = sources;
    this.limits = limits;
  }

  /** The source and address rule this validator applies. */
  public SourcePolicy sources() {
    return sources;
  }

  /** One problem: the field as the spec names it, and what is wrong with it. */
  public record Problem(String field, String what) {
    @Override
    public String toString() {
      return field + ": " + what;
    }
  }

  static final class Invalid extends Exception {
    final transient Problem problem;

    Invalid(String field, String what) {
      super(field + ": " + what, null, false, false);
      this.problem = new Problem(field, what);
    }
  }

  /** The first problem of the spec, or empty when it can be started. */
  public Optional<Problem> problem(JobSpec spec) {
    try {
      check(spec);
      return Optional.empty();
    } catch (Invalid e) {
      return Optional.of(e.problem);
    }
  }

  private void check(JobSpec spec) throws Invalid {
    if (spec.getJobId() == null || spec.getJobId().isBlank()) {
      throw new Invalid("jobId", "must not be empty");
    }
    if (spec.getChannel() == null || spec.getChannel().isBlank()) {
      throw new Invalid("channel", "must not be empty");
    }
    StorageNames.check("channel", spec.getChannel());
    StorageNames.check("recorderUid", spec.getRecorderUid());
    checkStorage(spec.getStorage());
    int idle = spec.getMaxIdleTimeSeconds();
    if (idle < MIN_IDLE_SECONDS || idle > MAX_IDLE_SECONDS) {
      throw new Invalid("maxIdleTimeSeconds", "must be between " + MIN_IDLE_SECONDS + " and " + MAX_IDLE_SECONDS
          + ", got " + idle);
    }
    if (spec.getMode() == RecordingMode.WEB) {
      checkWeb(spec);
      return;
    }
    checkSourceCount(spec);
    checkSources(spec.getSources());
    checkTranscoding(spec.getTranscoding(), 30);
    checkSubscriptions(spec.getSubscriptions(), spec.getMode());
    checkPacing(spec);
    checkDecryption(spec.getDecryption(), spec.getSources());
  }

  private static void checkStorage(StorageConfig storage) throws Invalid {
    if (storage == null) {
      return;
    }
    List<String> prefix = storage.getFileNamePrefix();
    for (int i = 0; i < prefix.size(); i++) {
      if (prefix.get(i) == null || !prefix.get(i).matches("[A-Za-z0-9]+")) {
        throw new Invalid("storage.fileNamePrefix[" + i + "]", "letters and digits only, got '" + prefix.get(i) + "'");
      }
    }
    if (String.join("/", prefix).length() > 128) {
      throw new Invalid("storage.fileNamePrefix", "the joined prefix must be at most 128 characters");
    }
  }

  /**
   * A web job records one page (web.url) into a canvas of the viewport's size
   * (transcoding); its only source, if listed, is the page itself.
   */
  private void checkWeb(JobSpec spec) throws Invalid {
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
      checkAddress("web.rtmpUrls[" + i + "]", url);
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

  private void checkPageUrl(String field, String url) throws Invalid {
    String scheme = url == null ? null : scheme(url);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new Invalid(field, "must be an http:// or https:// URL");
    }
    checkAddress(field, url);
  }

  /** A URL a caller named, whose host must be one the address policy allows (literal addresses, no DNS). */
  private void checkAddress(String field, String url) throws Invalid {
    try {
      sources.check(url);
    } catch (IllegalArgumentException e) {
      throw new Invalid(field, e.getMessage());
    }
  }

  private static String scheme(String url) {
    try {
      URI uri = new URI(url);
      return uri.getScheme() == null || uri.getHost() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private void checkSourceCount(JobSpec spec) throws Invalid {
    int max = spec.getMode() == RecordingMode.COMPOSITE ? limits.compositeSources() : limits.individualSources();
    if (spec.getSources().size() > max) {
      throw new Invalid("sources", "at most " + max + " sources in " + spec.getMode().name().toLowerCase(Locale.ROOT)
          + " mode, got " + spec.getSources().size() + " (" + (spec.getMode() == RecordingMode.COMPOSITE
          ? SpecLimits.COMPOSITE_SOURCES.name() : SpecLimits.INDIVIDUAL_SOURCES.name()) + ")");
    }
  }

  private void checkSources(List<Source> list) throws Invalid {
    Set<String> uids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Source source = list.get(i);
      String field = "sources[" + i + "]";
      if (source.getUid() == null || source.getUid().isEmpty()) {
        throw new Invalid(field + ".uid", "must not be empty");
      }
      StorageNames.check(field + ".uid", source.getUid());
      if (!uids.add(source.getUid())) {
        throw new Invalid(field + ".uid", "'" + source.getUid() + "' is listed twice");
      }
      if (!source.getAudio() && !source.getVideo()) {
        throw new Invalid(field, "audio and video are both false: the source would record nothing");
      }
      checkAddress(field + ".url", source.getUrl());
      if (source.getLowUrl() != null) {
        checkAddress(field + ".lowUrl", source.getLowUrl());
      }
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
    if (mode == RecordingMode.COMPOSITE && video != null && !video.contains(ALL_STREAMS)
        && video.size() > MAX_MIXED_VIDEO_UIDS) {
      throw new Invalid("subscriptions.videoUids", "at most " + MAX_MIXED_VIDEO_UIDS
          + " uids can be mixed in one layout, got " + video.size());
    }
  }

  private static boolean present(List<String> uids) {
    return uids != null && !uids.isEmpty();
  }

  /** FAST runs as fast as the CPU allows, so every source must end by itself. */
  private static void checkPacing(JobSpec spec) throws Invalid {
    if (spec.getPacing() != Pacing.FAST || spec.getPostProcessing() != null) {
      return;
    }
    if (spec.getSources().isEmpty()) {
      throw new Invalid("pacing", "FAST needs sources named in the job; a channel directory job plays in real time");
    }
    for (int i = 0; i < spec.getSources().size(); i++) {
      SourceUrl url = SourceUrl.parse(spec.getSources().get(i).getUrl());
      if (!url.fileLike()) {
        throw new Invalid("pacing", "FAST needs every source to be a file or lavfi graph; sources[" + i
            + "] is a live stream");
      }
      if (url.kind() == SourceUrl.Kind.GENERATED && !LavfiGraph.parse(url.input()).finite()) {
        throw new Invalid("pacing", "FAST needs sources that end; sources[" + i + "] is a lavfi graph without a "
            + "duration (give each generator duration=SECONDS)");
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
