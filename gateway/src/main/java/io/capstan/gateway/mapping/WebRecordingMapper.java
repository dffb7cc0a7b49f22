package io.capstan.gateway.mapping;

import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.Source;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.WebRecording;
import java.util.List;
import java.util.Set;

/**
 * extensionServiceConfig of web mode: one {@code web_recorder_service} and at most one
 * {@code rtmp_publish_service}. The page becomes the job's only source (uid {@link #PAGE_UID},
 * url = the page), its viewport the canvas, and the rest of serviceParam (maxRecordingHour,
 * mobile, onhold, readyTimeout, the RTMP output) the job's {@link WebRecording}.
 */
final class WebRecordingMapper {

  static final String PAGE_UID = "web";
  static final String WEB_RECORDER = "web_recorder_service";
  static final String RTMP_PUBLISH = "rtmp_publish_service";

  private WebRecordingMapper() {
  }

  static void apply(Obj config, JobSpec.Builder spec, FileConfig files) {
    String policy = config.string("errorHandlePolicy");
    if (policy != null && !policy.equals("error_abort")) {
      throw config.invalid("errorHandlePolicy", "must be error_abort, got '" + policy + "'");
    }
    List<Obj> services = config.objects("extensionServices");
    if (services == null || services.isEmpty()) {
      throw config.invalid("extensionServices", "must name the " + WEB_RECORDER);
    }
    Obj recorder = null;
    Obj publisher = null;
    for (Obj service : services) {
      String name = service.requiredString("serviceName");
      if (name.equals(WEB_RECORDER) && recorder == null) {
        recorder = service;
      } else if (name.equals(RTMP_PUBLISH) && publisher == null) {
        publisher = service;
      } else {
        throw service.invalid("serviceName", name.equals(WEB_RECORDER) || name.equals(RTMP_PUBLISH)
            ? "given twice" : "must be " + WEB_RECORDER + " or " + RTMP_PUBLISH + ", got '" + name + "'");
      }
    }
    if (recorder == null) {
      throw config.invalid("extensionServices", "must name the " + WEB_RECORDER);
    }
    WebRecording.Builder web = webRecorder(recorder, spec, files);
    if (publisher != null) {
      web.setRtmpUrls(List.of(rtmpPublisher(publisher)));
    }
    spec.setWeb(web.build());
    config.noteUnknown();
  }

  private static WebRecording.Builder webRecorder(Obj service, JobSpec.Builder spec, FileConfig files) {
    String policy = service.string("errorHandlePolicy");
    if (policy != null && !policy.equals("error_abort")) {
      throw service.invalid("errorHandlePolicy", "must be error_abort for the " + WEB_RECORDER);
    }
    Obj p = service.requiredObject("serviceParam");
    String url = p.requiredString("url");
    Urls.require(p, "url", url, Urls.WEB);
    spec.setAudioProfile(p.requiredInteger("audioProfile", 0, 2));
    int width = p.requiredInteger("videoWidth", 240, 1920);
    int height = p.requiredInteger("videoHeight", 240, 1920);
    if (width % 2 != 0) {
      throw p.invalid("videoWidth", "must be even (I420 video), got " + width);
    }
    if (height % 2 != 0) {
      throw p.invalid("videoHeight", "must be even (I420 video), got " + height);
    }
    if ((long) width * height > 1920L * 1080) {
      throw p.invalid("videoHeight", "videoWidth x videoHeight must be at most 1920 x 1080, got "
          + width + " x " + height);
    }
    WebRecording.Builder web = WebRecording.newBuilder().setUrl(url)
        .setMaxRecordingHour(p.requiredInteger("maxRecordingHour", 1, 720));
    // The official Java client capitalises it ("VideoBitrate"); same meaning.
    int bitrate = p.integer(p.spelling("videoBitrate", "VideoBitrate"), (long) width * height >= 1280L * 720 ? 2000 : 1500, 1, 10000);
    int fps = p.integer("videoFps", 15, 5, 60);
    web.setMobile(p.bool("mobile", false));
    files.setMaxFileDurationMinutes(p.integer("maxVideoDuration", 120, 30, 240));
    web.setOnhold(p.bool("onhold", false));
    web.setReadyTimeoutSeconds(p.integer("readyTimeout", 0, 0, 60));
    p.noteUnknown();
    service.noteUnknown();
    spec.setTranscoding(Transcoding.newBuilder().setWidth(width).setHeight(height).setFps(fps)
        .setBitrateKbps(bitrate).setLayout(Layout.newBuilder().build()).build());
    spec.setSources(List.of(Source.newBuilder().setUid(PAGE_UID).setUrl(url).build()));
    return web;
  }

  private static String rtmpPublisher(Obj service) {
    String policy = service.string("errorHandlePolicy");
    if (policy != null && !policy.equals("error_ignore")) {
      throw service.invalid("errorHandlePolicy", "must be error_ignore for the " + RTMP_PUBLISH);
    }
    Obj p = service.requiredObject("serviceParam");
    List<Obj> outputs = p.objects("outputs");
    if (outputs == null || outputs.size() != 1) {
      throw p.invalid("outputs", "must hold exactly one {rtmpUrl}");
    }
    Obj output = outputs.get(0);
    String rtmpUrl = output.requiredString("rtmpUrl");
    Urls.require(output, "rtmpUrl", rtmpUrl, Set.of("rtmp", "rtmps"));
    output.noteUnknown();
    p.noteUnknown();
    service.noteUnknown();
    return rtmpUrl;
  }
}
