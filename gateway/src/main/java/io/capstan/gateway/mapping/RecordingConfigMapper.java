package io.capstan.gateway.mapping;

import io.capstan.schemas.Decryption;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StreamMode;
import io.capstan.schemas.StreamTypes;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.VideoStreamType;
import java.util.List;

/** recordingConfig (individual and mix modes) onto the JobSpec. */
final class RecordingConfigMapper {

  /** sm4-128-ecb: no source protocol Capstan reads (SRT, TLS, HLS AES-128) uses SM4. */
  private static final int SM4 = 4;

  private RecordingConfigMapper() {
  }

  static void apply(Obj r, RecordingMode mode, JobSpec.Builder spec) {
    spec.setChannelType(r.integer("channelType", 0, 0, 1));
    int streamTypes = r.integer("streamTypes", 2, 0, 2);
    spec.setStreamTypes(StreamTypes.values()[streamTypes]);
    spec.setStreamMode(streamMode(r));
    spec.setDecryption(decryption(r));
    spec.setAudioProfile(r.integer("audioProfile", 0, 0, 2));
    spec.setVideoStreamType(VideoStreamType.values()[r.integer("videoStreamType", 0, 0, 1)]);
    spec.setMaxIdleTimeSeconds(r.integer("maxIdleTime", 30, 5, 2592000));
    spec.setSubscriptions(subscriptions(r, mode));
    // The expected number of uids sizes the hosted product's workers; Capstan's scale by partitions.
    r.integer("subscribeUidGroup", 0, 5);
    Obj transcoding = r.object("transcodingConfig");
    if (transcoding != null && mode == RecordingMode.COMPOSITE) {
      spec.setTranscoding(LayoutMapper.transcoding(transcoding));
    } else if (transcoding != null) {
      throw r.invalid("transcodingConfig", "only in mix mode");
    }
    r.noteUnknown();
  }

  private static StreamMode streamMode(Obj r) {
    String mode = r.string("streamMode");
    if (mode == null) {
      return StreamMode.DEFAULT;
    }
    return switch (mode) {
      case "default" -> StreamMode.DEFAULT;
      case "standard" -> StreamMode.STANDARD;
      case "original" -> StreamMode.ORIGINAL;
      default -> throw r.invalid("streamMode", "must be default, standard or original, got '" + mode + "'");
    };
  }

  private static Decryption decryption(Obj r) {
    int mode = r.integer("decryptionMode", 0, 0, 8);
    String secret = r.string("secret");
    String salt = r.string("salt");
    if (mode == SM4) {
      throw r.invalid("decryptionMode", "4 (sm4-128-ecb) cannot be mapped onto a source's encryption "
          + "(SRT passphrase, TLS, HLS AES-128)");
    }
    if (mode != 0 && secret == null) {
      throw r.invalid("secret", "required with decryptionMode " + mode);
    }
    if (mode == 0 && (secret != null || salt != null)) {
      throw r.invalid(secret != null ? "secret" : "salt", "only with a decryptionMode other than 0");
    }
    if (salt != null && mode < 7) {
      throw r.invalid("salt", "only with decryptionMode 7 or 8");
    }
    return Decryption.newBuilder().setMode(mode).setSecret(secret).setSalt(salt).build();
  }

  private static Subscriptions subscriptions(Obj r, RecordingMode mode) {
    boolean audioGiven = r.has("subscribeAudioUids");
    boolean videoGiven = r.has("subscribeVideoUids");
    List<String> audio = SubscriptionMapper.allow(r, "subscribeAudioUids");
    List<String> video = SubscriptionMapper.allow(r, "subscribeVideoUids");
    List<String> noAudio = SubscriptionMapper.deny(r, SubscriptionMapper.denyName(r, "Audio"), audioGiven,
        "subscribeAudioUids");
    List<String> noVideo = SubscriptionMapper.deny(r, SubscriptionMapper.denyName(r, "Video"), videoGiven,
        "subscribeVideoUids");
    if (mode == RecordingMode.COMPOSITE && video != null && video.size() > LayoutMapper.MAX_USERS) {
      throw r.invalid("subscribeVideoUids", "at most " + LayoutMapper.MAX_USERS
          + " video uids are mixed in one layout, got " + video.size());
    }
    return Subscriptions.newBuilder().setAudioUids(audio).setVideoUids(video)
        .setUnsubscribeAudioUids(noAudio).setUnsubscribeVideoUids(noVideo).build();
  }
}
