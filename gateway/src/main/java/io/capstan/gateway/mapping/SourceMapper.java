package io.capstan.gateway.mapping;

import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.source.SourceUrl;
import io.capstan.schemas.Pacing;
import io.capstan.schemas.Source;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Capstan's {@code clientRequest.sources} and {@code clientRequest.pacing}. */
final class SourceMapper {

  private SourceMapper() {
  }

  static List<Source> sources(Obj request, String name, SourcePolicy policy) {
    List<Obj> items = request.objects(name);
    if (items == null) {
      return List.of();
    }
    Set<String> uids = new HashSet<>();
    List<Source> sources = new ArrayList<>();
    for (Obj item : items) {
      String uid = item.requiredString("uid");
      if (uid.length() > 64 || uid.contains("/")) {
        throw item.invalid("uid", "at most 64 characters, without '/'");
      }
      if (!uids.add(uid)) {
        throw item.invalid("uid", "'" + uid + "' is given twice");
      }
      String url = item.requiredString("url");
      checkUrl(item, "url", url, policy);
      String lowUrl = item.string("lowUrl");
      if (lowUrl != null) {
        checkUrl(item, "lowUrl", lowUrl, policy);
      }
      boolean audio = item.bool("audio", true);
      boolean video = item.bool("video", true);
      if (!audio && !video) {
        throw item.invalid("video", "a source needs audio or video (both are false)");
      }
      item.noteUnknown();
      sources.add(Source.newBuilder().setUid(uid).setUrl(url).setLowUrl(lowUrl).setAudio(audio).setVideo(video)
          .build());
    }
    return sources;
  }

  static Pacing pacing(Obj request, String name, List<Source> sources) {
    String pacing = request.string(name);
    if (pacing == null || pacing.equals("realtime")) {
      return Pacing.REALTIME;
    }
    if (!pacing.equals("fast")) {
      throw request.invalid(name, "must be realtime or fast, got '" + pacing + "'");
    }
    if (sources.isEmpty()) {
      throw request.invalid(name, "fast needs clientRequest.sources naming media files");
    }
    for (Source source : sources) {
      if (!SourceUrl.parse(source.getUrl()).fileLike()) {
        throw request.invalid(name, "fast is for media files only; source '" + source.getUid() + "' is a live stream");
      }
    }
    return Pacing.FAST;
  }

  /** The rule ingest applies again ({@link SourcePolicy}): schemes, files, lavfi graphs, literal addresses. */
  private static void checkUrl(Obj item, String name, String url, SourcePolicy policy) {
    try {
      policy.check(url);
    } catch (IllegalArgumentException e) {
      throw item.invalid(name, e.getMessage());
    }
  }
}
