package io.capstan.gateway.mapping;

import java.util.List;

/**
 * Allow and deny lists of uids. {@code ["#allstream#"]} means everyone, which the JobSpec says with
 * a null allow list; an allow list and a deny list of the same media never go together.
 */
final class SubscriptionMapper {

  static final String ALL_STREAMS = "#allstream#";

  private SubscriptionMapper() {
  }

  /** The allow list as the JobSpec holds it: null for everyone. */
  static List<String> allow(Obj o, String name) {
    List<String> uids = o.strings(name);
    if (uids == null) {
      return null;
    }
    if (uids.isEmpty()) {
      throw o.invalid(name, "must name at least one uid, or \"" + ALL_STREAMS + "\" for everyone");
    }
    if (uids.contains(ALL_STREAMS)) {
      if (uids.size() > 1) {
        throw o.invalid(name, "\"" + ALL_STREAMS + "\" means everyone and goes alone");
      }
      return null;
    }
    return List.copyOf(uids);
  }

  /**
   * The spelling of the deny list of {@code media} ("Audio" or "Video") the body uses: the hosted
   * product's documentation and official clients write both {@code unsubscribe...Uids} and
   * {@code unSubscribe...Uids}, in recordingConfig and in update, so both are accepted everywhere.
   */
  static String denyName(Obj o, String media) {
    return o.spelling("unSubscribe" + media + "Uids", "unsubscribe" + media + "Uids");
  }

  /** A deny list; {@code allowGiven} says whether the same media's allow list was in the body. */
  static List<String> deny(Obj o, String name, boolean allowGiven, String allowName) {
    List<String> uids = o.strings(name);
    if (uids == null) {
      return null;
    }
    if (allowGiven) {
      throw o.invalid(name, "not together with " + allowName);
    }
    if (uids.contains(ALL_STREAMS)) {
      throw o.invalid(name, "\"" + ALL_STREAMS + "\" is only for allow lists");
    }
    return List.copyOf(uids);
  }
}
