package io.capstan.gateway.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.StorageConfig;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.UpdateCommand;
import io.capstan.schemas.UpdateLayoutCommand;
import java.util.List;

/** The bodies of acquire, update, updateLayout and stop. Pure, like {@link StartRequestMapper}. */
public final class RequestMapper {

  /** {@code unknownFields} in each: the body's fields Capstan does not know, accepted and ignored. */
  public record Acquire(Caller caller, int scene, int resourceExpiredHour, List<String> unknownFields) {
  }

  public record Update(Caller caller, UpdateCommand command, List<String> unknownFields) {
  }

  public record UpdateLayout(Caller caller, UpdateLayoutCommand command, List<String> unknownFields) {
  }

  public record Stop(Caller caller, boolean asyncStop, List<String> unknownFields) {
  }

  private RequestMapper() {
  }

  public static Acquire acquire(JsonNode body) {
    Obj root = Obj.of(body, "");
    Caller caller = Caller.read(root);
    Obj request = root.object("clientRequest");
    root.noteUnknown();
    int scene = 0;
    int hours = 72;
    if (request != null) {
      scene = request.integer("scene", 0, 0, 2);
      hours = request.integer("resourceExpiredHour", 72, 1, 720);
      // The hosted product's worker placement hints; Capstan places work by Kafka partition.
      request.ignore("region", "regionAffinity", "startParameter", "excludeResourceIds");
      request.noteUnknown();
    }
    return new Acquire(caller, scene, hours, root.unknownFields());
  }

  /**
   * The update body. A media whose lists are given replaces that media's lists in
   * {@code current} (the job's subscriptions now); the other media keeps its lists.
   */
  public static Update update(JsonNode body, RecordingMode mode, Subscriptions current) {
    Obj root = Obj.of(body, "");
    Caller caller = Caller.read(root);
    Obj request = root.requiredObject("clientRequest");
    root.noteUnknown();
    UpdateCommand.Builder command = UpdateCommand.newBuilder();
    Obj subscribe = request.object("streamSubscribe");
    if (subscribe != null) {
      if (mode == RecordingMode.WEB) {
        throw request.invalid("streamSubscribe", "not used in web mode");
      }
      command.setSubscriptions(subscriptions(subscribe, mode,
          current == null ? Subscriptions.newBuilder().build() : current));
    }
    Obj web = request.object("webRecordingConfig");
    if (web != null) {
      if (mode != RecordingMode.WEB) {
        throw request.invalid("webRecordingConfig", "only in web mode");
      }
      Boolean onhold = web.bool("onhold");
      if (onhold == null) {
        throw web.invalid("onhold", "missing");
      }
      web.noteUnknown();
      command.setOnhold(onhold);
    }
    Obj storage = request.object("storageConfig");
    if (storage != null) {
      StorageConfig config = StorageMapper.storage(storage);
      command.setStorage(config);
    }
    if (request.has("rtmpPublishConfig")) {
      // Known to the hosted product; silently keeping the old CDN address would be worse than saying so.
      throw request.invalid("rtmpPublishConfig", "changing the CDN address of a running web recording is not "
          + "supported by Capstan; stop and start the recording with the new rtmpUrl");
    }
    request.noteUnknown();
    if (subscribe == null && web == null && storage == null) {
      throw new InvalidRequestException("clientRequest", "nothing to update: give streamSubscribe, "
          + "webRecordingConfig or storageConfig");
    }
    return new Update(caller, command.build(), root.unknownFields());
  }

  public static UpdateLayout updateLayout(JsonNode body) {
    Obj root = Obj.of(body, "");
    Caller caller = Caller.read(root);
    Obj request = root.requiredObject("clientRequest");
    root.noteUnknown();
    UpdateLayoutCommand command = UpdateLayoutCommand.newBuilder().setLayout(LayoutMapper.layout(request)).build();
    request.noteUnknown();
    return new UpdateLayout(caller, command, root.unknownFields());
  }

  public static Stop stop(JsonNode body) {
    Obj root = Obj.of(body, "");
    Caller caller = Caller.read(root);
    Obj request = root.object("clientRequest");
    root.noteUnknown();
    boolean async = false;
    if (request != null) {
      async = request.bool("async_stop", false);
      request.noteUnknown();
    }
    return new Stop(caller, async, root.unknownFields());
  }

  private static Subscriptions subscriptions(Obj s, RecordingMode mode, Subscriptions current) {
    Subscriptions.Builder result = Subscriptions.newBuilder(current);
    Obj audio = s.object("audioUidList");
    if (audio != null) {
      boolean allowGiven = audio.has("subscribeAudioUids");
      List<String> allow = SubscriptionMapper.allow(audio, "subscribeAudioUids");
      List<String> deny = SubscriptionMapper.deny(audio, SubscriptionMapper.denyName(audio, "Audio"), allowGiven,
          "subscribeAudioUids");
      audio.noteUnknown();
      result.setAudioUids(allow).setUnsubscribeAudioUids(deny);
    }
    Obj video = s.object("videoUidList");
    if (video != null) {
      boolean allowGiven = video.has("subscribeVideoUids");
      List<String> allow = SubscriptionMapper.allow(video, "subscribeVideoUids");
      List<String> deny = SubscriptionMapper.deny(video, SubscriptionMapper.denyName(video, "Video"), allowGiven,
          "subscribeVideoUids");
      if (mode == RecordingMode.COMPOSITE && allow != null && allow.size() > LayoutMapper.MAX_USERS) {
        throw video.invalid("subscribeVideoUids", "at most " + LayoutMapper.MAX_USERS
            + " video uids are mixed in one layout, got " + allow.size());
      }
      video.noteUnknown();
      result.setVideoUids(allow).setUnsubscribeVideoUids(deny);
    }
    s.noteUnknown();
    if (audio == null && video == null) {
      throw new InvalidRequestException(s.path(), "give audioUidList or videoUidList");
    }
    return result.build();
  }
}
