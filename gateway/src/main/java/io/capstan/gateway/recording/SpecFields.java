package io.capstan.gateway.recording;

import io.capstan.schemas.RecordingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JobSpec field, as the shared validator names it, under the request field the caller wrote:
 * {@code decryption.secret} is {@code clientRequest.recordingConfig.secret}.
 */
final class SpecFields {

  private static final Map<String, String> COMMON = new LinkedHashMap<>();
  private static final Map<String, String> WEB = new LinkedHashMap<>();

  static {
    COMMON.put("channel", "cname");
    COMMON.put("recorderUid", "uid");
    COMMON.put("maxIdleTimeSeconds", "clientRequest.recordingConfig.maxIdleTime");
    COMMON.put("sources", "clientRequest.sources");
    COMMON.put("pacing", "clientRequest.pacing");
    COMMON.put("transcoding", "clientRequest.recordingConfig.transcodingConfig");
    COMMON.put("subscriptions.audioUids", "clientRequest.recordingConfig.subscribeAudioUids");
    COMMON.put("subscriptions.videoUids", "clientRequest.recordingConfig.subscribeVideoUids");
    COMMON.put("subscriptions.unsubscribeAudioUids", "clientRequest.recordingConfig.unsubscribeAudioUids");
    COMMON.put("subscriptions.unsubscribeVideoUids", "clientRequest.recordingConfig.unsubscribeVideoUids");
    COMMON.put("decryption.mode", "clientRequest.recordingConfig.decryptionMode");
    COMMON.put("decryption.secret", "clientRequest.recordingConfig.secret");
    COMMON.put("storage", "clientRequest.storageConfig");
    WEB.put("transcoding.width", "clientRequest.extensionServiceConfig.serviceParam.videoWidth");
    WEB.put("transcoding.height", "clientRequest.extensionServiceConfig.serviceParam.videoHeight");
    WEB.put("transcoding", "clientRequest.extensionServiceConfig.serviceParam");
    WEB.put("web.url", "clientRequest.extensionServiceConfig.serviceParam.url");
    WEB.put("web.maxRecordingHour", "clientRequest.extensionServiceConfig.serviceParam.maxRecordingHour");
    WEB.put("web.readyTimeoutSeconds", "clientRequest.extensionServiceConfig.serviceParam.readyTimeout");
    WEB.put("web.rtmpUrls", "clientRequest.extensionServiceConfig.outputs");
    WEB.put("web", "clientRequest.extensionServiceConfig");
  }

  private SpecFields() {
  }

  static String requestName(String specField, RecordingMode mode) {
    if (mode == RecordingMode.WEB) {
      String web = translate(specField, WEB);
      if (web != null) {
        return web;
      }
    }
    String common = translate(specField, COMMON);
    return common != null ? common : specField;
  }

  /** The longest mapped prefix ending at a field boundary, replaced; what follows it (an index, a subfield) stays. */
  private static String translate(String field, Map<String, String> names) {
    String best = null;
    for (String spec : names.keySet()) {
      boolean boundary = field.equals(spec) || field.startsWith(spec + ".") || field.startsWith(spec + "[");
      if (boundary && (best == null || spec.length() > best.length())) {
        best = spec;
      }
    }
    return best == null ? null : names.get(best) + field.substring(best.length());
  }
}
