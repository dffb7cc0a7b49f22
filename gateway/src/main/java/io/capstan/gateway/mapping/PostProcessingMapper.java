package io.capstan.gateway.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.PostProcessing;
import io.capstan.schemas.PostProcessingKind;
import io.capstan.schemas.PostProcessingRequest;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StreamMode;
import io.capstan.schemas.StreamTypes;
import java.util.List;
import java.util.Set;

/**
 * What follows or precedes a recording: {@code appsCollection} + {@code transcodeOptions} (the
 * reference's postponed transcoding and audio mix, individual mode, resource of scene 2) become
 * JobSpec.afterRecording; {@code sourceRecording} (Capstan's re-composition, mix mode) makes the
 * job compose a finished individual recording read back from storage instead of a channel.
 */
final class PostProcessingMapper {

  static final String POSTPONE = "postpone_transcoding";
  static final String TRANSCODE = "postponeTranscoding";
  static final String AUDIO_MIX = "audioMix";
  private static final Set<Integer> SAMPLE_RATES = Set.of(48_000, 32_000, 16_000);
  private static final Set<String> MIX_FORMATS = Set.of("mp3", "m4a", "aac");

  private PostProcessingMapper() {
  }

  /** appsCollection / transcodeOptions of a start; call after recordingConfig is applied. */
  static void afterRecording(Obj request, RecordingMode mode, int scene, JobSpec.Builder spec) {
    Obj apps = request.object("appsCollection");
    String policy = "default";
    if (apps != null) {
      String given = apps.string("combinationPolicy");
      policy = given == null ? "default" : given;
      if (!policy.equals("default") && !policy.equals(POSTPONE)) {
        throw apps.invalid("combinationPolicy", "must be default or " + POSTPONE + ", got '" + policy + "'");
      }
      apps.noteUnknown();
    }
    Obj options = request.object("transcodeOptions");
    boolean postpone = policy.equals(POSTPONE);
    if (!postpone) {
      if (options != null) {
        throw request.invalid("transcodeOptions", "needs appsCollection.combinationPolicy " + POSTPONE);
      }
      if (scene == 2) {
        throw request.invalid("appsCollection", "a resourceId acquired with clientRequest.scene 2 needs "
            + "combinationPolicy " + POSTPONE);
      }
      return;
    }
    if (mode != RecordingMode.INDIVIDUAL) {
      throw request.invalid("appsCollection", POSTPONE + " is for individual mode only");
    }
    if (scene != 2) {
      throw new InvalidRequestException("resourceId", POSTPONE + " needs a resourceId acquired with "
          + "clientRequest.scene 2");
    }
    if (options == null) {
      throw request.invalid("transcodeOptions", "missing (" + POSTPONE + " needs transConfig.transMode)");
    }
    Obj trans = options.requiredObject("transConfig");
    String transMode = trans.requiredString("transMode");
    trans.noteUnknown();
    Obj container = options.object("container");
    String format = container == null ? null : container.string("format");
    if (container != null) {
      container.noteUnknown();
    }
    Obj audio = options.object("audio");
    int sampleRate = 48_000;
    int bitrate = 48_000;
    int channels = 2;
    if (audio != null) {
      sampleRate = number(audio, "sampleRate", 48_000);
      if (!SAMPLE_RATES.contains(sampleRate)) {
        throw audio.invalid("sampleRate", "must be \"48000\", \"32000\" or \"16000\", got " + sampleRate);
      }
      bitrate = number(audio, "bitrate", 48_000);
      if (bitrate < 8_000 || bitrate > 320_000) {
        throw audio.invalid("bitrate", "must be between 8000 and 320000 bits per second, got " + bitrate);
      }
      channels = number(audio, "channels", 2);
      if (channels != 1 && channels != 2) {
        throw audio.invalid("channels", "must be \"1\" or \"2\", got " + channels);
      }
      audio.noteUnknown();
    }
    options.noteUnknown();
    String types = "recordingConfig.streamTypes";
    String streamMode = "recordingConfig.streamMode";
    switch (transMode) {
      case TRANSCODE -> {
        if (spec.getStreamTypes() != StreamTypes.AUDIO_AND_VIDEO) {
          throw new InvalidRequestException(types, TRANSCODE + " needs 2 (audio and video)");
        }
        if (spec.getStreamMode() != StreamMode.DEFAULT) {
          throw new InvalidRequestException(streamMode, TRANSCODE + " needs default (audio and video in separate files)");
        }
        format = format == null ? "mp4" : format;
        if (!format.equals("mp4")) {
          throw new InvalidRequestException(options.path("container") + ".format", TRANSCODE
              + " makes mp4 only, got '" + format + "'");
        }
      }
      case AUDIO_MIX -> {
        if (spec.getStreamTypes() != StreamTypes.AUDIO_ONLY) {
          throw new InvalidRequestException(types, AUDIO_MIX + " needs 0 (audio only)");
        }
        if (spec.getStreamMode() != StreamMode.ORIGINAL) {
          throw new InvalidRequestException(streamMode, AUDIO_MIX + " needs original");
        }
        format = format == null ? "mp3" : format;
        if (!MIX_FORMATS.contains(format)) {
          throw new InvalidRequestException(options.path("container") + ".format", "must be mp3, m4a or aac, got '"
              + format + "'");
        }
      }
      default -> throw trans.invalid("transMode", "must be " + TRANSCODE + " or " + AUDIO_MIX + ", got '"
          + transMode + "'");
    }
    spec.setAfterRecording(PostProcessingRequest.newBuilder().setTransMode(transMode).setFormat(format)
        .setSampleRate(sampleRate).setBitrate(bitrate).setChannels(channels).build());
  }

  /**
   * clientRequest.sourceRecording of a mix start: {sid, storageConfig?} — compose that finished
   * individual recording (FAST) instead of a channel. Without storageConfig the recording is read
   * from the start's own storageConfig.
   */
  static void sourceRecording(Obj request, RecordingMode mode, JobSpec.Builder spec) {
    Obj source = request.object("sourceRecording");
    if (source == null) {
      return;
    }
    if (mode != RecordingMode.COMPOSITE) {
      throw request.invalid("sourceRecording", "only in mix mode (it composes a finished individual recording)");
    }
    for (String conflicting : List.of("sources", "pacing")) {
      if (request.has(conflicting)) {
        throw request.invalid(conflicting, "not used with sourceRecording (the recording's files are the sources)");
      }
    }
    String sid = source.requiredString("sid");
    if (!Sids.valid(sid)) {
      throw source.invalid("sid", "must be the sid of a recording: 32 lowercase hex digits");
    }
    Obj storage = source.object("storageConfig");
    PostProcessing.Builder post = PostProcessing.newBuilder().setKind(PostProcessingKind.RECOMPOSE)
        .setSourceJobId(sid).setSourceChannel("")
        .setSourceStorage(storage != null ? StorageMapper.storage(storage) : spec.getStorage());
    source.noteUnknown();
    spec.setPostProcessing(post.build()).setPacing(Pacing.FAST);
  }

  /** A number given as the reference does ("48000") or as a JSON number. */
  private static int number(Obj o, String name, int defaultValue) {
    JsonNode n = o.raw(name);
    if (n == null) {
      return defaultValue;
    }
    if (n.isIntegralNumber() && n.canConvertToInt()) {
      return n.intValue();
    }
    if (n.isTextual() && n.textValue().matches("\\d{1,9}")) {
      return Integer.parseInt(n.textValue());
    }
    throw o.invalid(name, "must be a number (as a string, e.g. \"48000\")");
  }
}
