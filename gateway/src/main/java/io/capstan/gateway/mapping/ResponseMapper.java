package io.capstan.gateway.mapping;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.runtime.events.ExitStatus;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.WebState;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RecordingMode;
import java.util.List;

/**
 * The answers of query and stop, built from the job's status ({@code capstan.status}) and spec.
 * {@code fileListMode} is {@code "string"} (the playlist's name) for a composite recording of HLS
 * only, {@code "json"} (the entries) otherwise.
 */
public final class ResponseMapper {

  /** Query status while the job is accepted but no status has been folded yet: initialised. */
  public static final int STATUS_INITIALISED = 1;
  private static final int RECORDING = 5;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ResponseMapper() {
  }

  /**
   * {@code {cname, uid, resourceId, sid, serverResponse}}, the serverResponse shaped as the hosted
   * product answers each kind of recording (official clients pick their response type by it and
   * refuse properties they do not know):
   * <ul>
   *   <li>web: {@code {status, extensionServiceState}} only;</li>
   *   <li>snapshot-only (individual, no recording files): {@code {status, sliceStartTime}};</li>
   *   <li>otherwise {@code {status, fileListMode, fileList, sliceStartTime}}.</li>
   * </ul>
   * {@code sliceStartTime} is when the recording started: until the first slice is reported, the
   * job's start time rather than 0.
   */
  public static ObjectNode query(Caller caller, String resourceId, String sid, JobStatus status, JobSpec spec) {
    ObjectNode answer = ids(caller, resourceId, sid);
    ObjectNode server = answer.putObject("serverResponse");
    int code = status == null ? STATUS_INITIALISED : status.getStatus();
    server.put("status", code);
    if (mode(status, spec) == RecordingMode.WEB) {
      server.set("extensionServiceState", webState(code, status, spec));
      return answer;
    }
    if (!snapshotOnly(spec)) {
      fileList(server, status, spec);
    }
    server.put("sliceStartTime", sliceStartTime(status, spec));
    return answer;
  }

  /** A job that records snapshots and no audio/video files (snapshotConfig without recordingFileConfig). */
  public static boolean snapshotOnly(JobSpec spec) {
    return spec != null && spec.getSnapshots() != null && spec.getFiles().getAvFileType().isEmpty();
  }

  private static long sliceStartTime(JobStatus status, JobSpec spec) {
    if (status != null && status.getSliceStartTime() > 0) {
      return status.getSliceStartTime();
    }
    boolean started = status != null && status.getStatus() >= RECORDING;
    return started && spec != null ? spec.getStartedUtcMs() : 0;
  }

  /** {@code {cname, uid, resourceId, sid, serverResponse:{fileListMode, fileList, uploadingStatus}}}. */
  public static ObjectNode stop(Caller caller, String resourceId, String sid, JobStatus status, JobSpec spec) {
    ObjectNode answer = ids(caller, resourceId, sid);
    ObjectNode server = answer.putObject("serverResponse");
    fileList(server, status, spec);
    server.put("uploadingStatus", status == null ? "unknown" : status.getUploadingStatus());
    if (mode(status, spec) == RecordingMode.WEB) {
      server.set("extensionServiceState", webState(status == null ? STATUS_INITIALISED : status.getStatus(), status, spec));
    }
    return answer;
  }

  /** {@code {cname, uid, resourceId, sid}}: the answer of start, update and updateLayout. */
  public static ObjectNode ids(Caller caller, String resourceId, String sid) {
    ObjectNode answer = JSON.objectNode();
    answer.put("cname", caller.cname());
    answer.put("uid", caller.uid());
    answer.put("resourceId", resourceId);
    answer.put("sid", sid);
    return answer;
  }

  /** Whether the status shows any recorded media: a slice started or a file was listed. */
  public static boolean hasMedia(JobStatus status) {
    return status != null && (status.getSliceStartTime() > 0 || !status.getFileList().isEmpty());
  }

  /**
   * As {@link #hasMedia(JobStatus)}; a snapshot-only job lists no files and starts no slices, so for it
   * only the uploader's verdict at the end counts (exit status "no media").
   */
  public static boolean hasMedia(JobStatus status, JobSpec spec) {
    if (snapshotOnly(spec)) {
      return status != null && !(status.getExited() && status.getExitStatus() == ExitStatus.NO_MEDIA);
    }
    return hasMedia(status);
  }

  private static void fileList(ObjectNode server, JobStatus status, JobSpec spec) {
    List<FileEntry> files = status == null ? List.of() : status.getFileList();
    if (stringMode(status, spec)) {
      server.put("fileListMode", "string");
      server.put("fileList", files.stream().map(FileEntry::getFileName).filter(n -> n.endsWith(".m3u8"))
          .findFirst().orElse(""));
      return;
    }
    server.put("fileListMode", "json");
    ArrayNode list = server.putArray("fileList");
    for (FileEntry f : files) {
      ObjectNode entry = list.addObject();
      entry.put("fileName", f.getFileName());
      entry.put("trackType", f.getTrackType());
      entry.put("uid", f.getUid());
      entry.put("mixedAllUser", f.getMixedAllUser());
      entry.put("isPlayable", f.getIsPlayable());
      entry.put("sliceStartTime", f.getSliceStartTime());
    }
  }

  private static boolean stringMode(JobStatus status, JobSpec spec) {
    if (mode(status, spec) != RecordingMode.COMPOSITE) {
      return false;
    }
    if (spec != null) {
      return spec.getFiles().getAvFileType().equals(List.of("hls"));
    }
    return status == null || status.getFileList().stream().noneMatch(f -> f.getFileName().endsWith(".mp4"));
  }

  private static RecordingMode mode(JobStatus status, JobSpec spec) {
    return spec != null ? spec.getMode() : status != null ? status.getMode() : RecordingMode.COMPOSITE;
  }

  /**
   * web mode: {@code [{serviceName: "web_recorder_service", payload:{fileList:[{filename, sliceStartTime}],
   * onhold, state}}]}, then, when the page is also pushed to a CDN, {@code {serviceName:
   * "rtmp_publish_service", payload:{outputs:[{rtmpUrl, status}], state}}} (the documented shapes).
   */
  private static ArrayNode webState(int status, JobStatus jobStatus, JobSpec spec) {
    ArrayNode states = JSON.arrayNode();
    ObjectNode service = states.addObject();
    service.put("serviceName", WebRecordingMapper.WEB_RECORDER);
    ObjectNode payload = service.putObject("payload");
    WebState web = jobStatus == null ? null : jobStatus.getWeb();
    String state = web != null && !web.getState().equals("init") ? web.getState()
        : status < RECORDING ? "init" : status == RECORDING ? "inProgress" : "exit";
    ArrayNode files = payload.putArray("fileList");
    if (jobStatus != null) {
      for (FileEntry f : jobStatus.getFileList()) {
        files.addObject().put("filename", f.getFileName()).put("sliceStartTime", f.getSliceStartTime());
      }
    }
    payload.put("onhold", web != null && web.getOnhold());
    payload.put("state", state);
    boolean publishes = web != null && !web.getRtmp().isEmpty()
        || spec != null && spec.getWeb() != null && !spec.getWeb().getRtmpUrls().isEmpty();
    if (publishes) {
      ObjectNode publisher = states.addObject();
      publisher.put("serviceName", WebRecordingMapper.RTMP_PUBLISH);
      ObjectNode published = publisher.putObject("payload");
      ArrayNode outputs = published.putArray("outputs");
      if (web != null && !web.getRtmp().isEmpty()) {
        web.getRtmp().forEach(r -> outputs.addObject().put("rtmpUrl", r.getRtmpUrl()).put("status", r.getStatus()));
      } else {
        spec.getWeb().getRtmpUrls().forEach(url -> outputs.addObject().put("rtmpUrl", url).put("status", "connecting"));
      }
      published.put("state", state);
    }
    return states;
  }
}
