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

  public record Acquire(Caller caller, int scene, int resourceExpiredHour) {
  }

  public record Update(Caller caller, UpdateCommand command) {
  }

  public record UpdateLayout(Caller caller, UpdateLayoutCommand command) {
  }

  public record Stop(Caller caller, boolean asyncStop) {
  }

  private RequestMapper() {
  }

  public static Acquire acquire(JsonNode body) {
    Obj root = Obj.of(body, "");
    Caller caller = Caller.read(root);
    Obj request = root.object("clientRequest");
    root.noUnknown();
    int scene = 0;
    int hours = 72;
    if (request != null) {
      scene = request.integer("scene", 0, 0, 2);
      hours = request.integer("resourceExpiredHour", 72, 1, 720);
      // The hosted product's worker placement hints; Capstan places work by Kafka partition.
      request.ignore("region", "startParameter", "excludeResourceIds");
      request.noUnknown();
    }
    return new Acquire(caller, scene, hours);
  }

  /**
   * The update body. A media whose lists are given replaces that media's lists in
   * {@code current} (the job's subscriptions now); the other media keeps its lists.
   */
  public static Update update(JsonNode body, RecordingMode mode, Subscriptions current) {
    Obj root = Obj.of(body, "");
    Caller caller = Caller.read(root);
    Obj request = root.requiredObject("clientRequest");
    root.noUnknown();
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
      web.noUnknown();
      command.setOnhold(onhold);
    }
    Obj storage = request.object("storageConfig");
    if (storage != null) {
      StorageConfig config = StorageMapper.storage(storage);
      command.setStorage(config);
    }
    // Other services of the hosted product's update (rtmpPublishConfig, ...) are refused by name below.
    request.noUnknown();
    if (subscribe == null && web == null && storage == null) {
      throw new InvalidRequestException("clientRequest", "nothing to update: give streamSubscribe, "
          + "webRecordingConfig or storageConfig");
    }
    return new Update(caller, command.build());
  }

  public static UpdateLayout updateLayout(JsonNode body) {
    Obj root = Obj.of(body, "");
    Caller caller = Caller.read(root);
    Obj request = root.requiredObject("clientRequest");
    root.noUnknown();
    UpdateLayoutCommand command = UpdateLayoutCommand.newBuilder().setLayout(LayoutMapper.layout(request)).build();
    request.noUnknown();
    return new UpdateLayout(caller, command);
  }

  public static Stop stop(JsonNode body) {
    Obj root = Obj.of(body, "");
    Caller caller = Caller.read(root);
    Obj request = root.object("clientRequest");
    root.noUnknown();
    boolean async = false;
    if (request != null) {
      async = request.bool("async_stop", false);
      request.noUnknown();
    }
    return new Stop(caller, async);
  }

  private static Subscriptions subscriptions(Obj s, RecordingMode mode, Subscriptions current) {
    Subscriptions.Builder result = Subscriptions.newBuilder(current);
    Obj audio = s.object("audioUidList");
    if (audio != null) {
      boolean allowGiven = audio.has("subscribeAudioUids");
      List<String> allow = SubscriptionMapper.allow(audio, "subscribeAudioUids");
      List<String> deny = SubscriptionMapper.deny(audio, "unsubscribeAudioUids", allowGiven, "subscribeAudioUids");
      audio.noUnknown();
      result.setAudioUids(allow).setUnsubscribeAudioUids(deny);
    }
    Obj video = s.object("videoUidList");
    if (video != null) {
      boolean allowGiven = video.has("subscribeVideoUids");
      List<String> allow = SubscriptionMapper.allow(video, "subscribeVideoUids");
      List<String> deny = SubscriptionMapper.deny(video, "unsubscribeVideoUids", allowGiven, "subscribeVideoUids");
      if (mode == RecordingMode.COMPOSITE && allow != null && allow.size() > LayoutMapper.MAX_USERS) {
        throw video.invalid("subscribeVideoUids", "at most " + LayoutMapper.MAX_USERS
            + " video uids are mixed in one layout, got " + allow.size());
      }
      video.noUnknown();
      result.setVideoUids(allow).setUnsubscribeVideoUids(deny);
    }
    s.noUnknown();
    if (audio == null && video == null) {
      throw new InvalidRequestException(s.path(), "give audioUidList or videoUidList");
    }
    return result.build();
  }
}
