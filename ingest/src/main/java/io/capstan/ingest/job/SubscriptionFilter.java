package io.capstan.ingest.job;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Subscriptions;
import java.util.List;
import java.util.Set;

/**
 * Which uids' audio and video the job records: an allow list (null, empty or "#allstream#" = all)
 * or a deny list per media. The validator has made sure a media never has both.
 */
public final class SubscriptionFilter {

  public static final String ALL_STREAMS = "#allstream#";

  private final Set<String> audioAllow;
  private final Set<String> audioDeny;
  private final Set<String> videoAllow;
  private final Set<String> videoDeny;

  public SubscriptionFilter(Subscriptions subscriptions) {
    Subscriptions s = subscriptions == null ? Subscriptions.newBuilder().build() : subscriptions;
    audioAllow = allow(s.getAudioUids());
    audioDeny = deny(s.getUnsubscribeAudioUids());
    videoAllow = allow(s.getVideoUids());
    videoDeny = deny(s.getUnsubscribeVideoUids());
  }

  public boolean wants(String uid, MediaKind kind) {
    return kind == MediaKind.AUDIO ? wants(uid, audioAllow, audioDeny) : wants(uid, videoAllow, videoDeny);
  }

  /** True when the uid is recorded at all (audio or video). */
  public boolean wantsAny(String uid) {
    return wants(uid, MediaKind.AUDIO) || wants(uid, MediaKind.VIDEO);
  }

  private static boolean wants(String uid, Set<String> allow, Set<String> deny) {
    return (allow == null || allow.contains(uid)) && !deny.contains(uid);
  }

  /** null means everyone. */
  private static Set<String> allow(List<String> uids) {
    return uids == null || uids.isEmpty() || uids.contains(ALL_STREAMS) ? null : Set.copyOf(uids);
  }

  private static Set<String> deny(List<String> uids) {
    return uids == null ? Set.of() : Set.copyOf(uids);
  }
}
