package io.capstan.gateway.mapping;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ResponseMapper() {
  }

  /** {@code {resourceId, sid, serverResponse:{status, fileListMode, fileList, sliceStartTime}}}. */
  public static ObjectNode query(String resourceId, String sid, JobStatus status, JobSpec spec) {
    ObjectNode answer = JSON.objectNode();
    answer.put("resourceId", resourceId);
    answer.put("sid", sid);
    ObjectNode server = answer.putObject("serverResponse");
    int code = status == null ? STATUS_INITIALISED : status.getStatus();
    server.put("status", code);
    fileList(server, status, spec);
    server.put("sliceStartTime", status == null ? 0 : status.getSliceStartTime());
    if (mode(status, spec) == RecordingMode.WEB) {
      server.set("extensionServiceState", webState(code, status));
    }
    return answer;
  }

  /** {@code {cname, uid, resourceId, sid, serverResponse:{fileListMode, fileList, uploadingStatus}}}. */
  public static ObjectNode stop(Caller caller, String resourceId, String sid, JobStatus status, JobSpec spec) {
    ObjectNode answer = ids(caller, resourceId, sid);
    ObjectNode server = answer.putObject("serverResponse");
    fileList(server, status, spec);
    server.put("uploadingStatus", status == null ? "unknown" : status.getUploadingStatus());
    if (mode(status, spec) == RecordingMode.WEB) {
      server.set("extensionServiceState", webState(status == null ? STATUS_INITIALISED : status.getStatus(), status));
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

  /** web mode: {@code [{serviceName, payload:{state, onhold, fileList:[{filename, sliceStartTime}]}}]}. */
  private static ArrayNode webState(int status, JobStatus jobStatus) {
    ArrayNode states = JSON.arrayNode();
    ObjectNode service = states.addObject();
    service.put("serviceName", WebRecordingMapper.WEB_RECORDER);
    ObjectNode payload = service.putObject("payload");
    WebState web = jobStatus == null ? null : jobStatus.getWeb();
    payload.put("state", web != null && !web.getState().equals("init") ? web.getState()
        : status < 5 ? "init" : status == 5 ? "inProgress" : "exit");
    payload.put("onhold", web != null && web.getOnhold());
    ArrayNode files = payload.putArray("fileList");
    if (jobStatus != null) {
      for (FileEntry f : jobStatus.getFileList()) {
        files.addObject().put("filename", f.getFileName()).put("sliceStartTime", f.getSliceStartTime());
      }
    }
    if (web != null && !web.getRtmp().isEmpty()) {
      ObjectNode publisher = states.addObject();
      publisher.put("serviceName", WebRecordingMapper.RTMP_PUBLISH);
      ArrayNode outputs = publisher.putObject("payload").putArray("outputs");
      web.getRtmp().forEach(r -> outputs.addObject().put("rtmpUrl", r.getRtmpUrl()).put("status", r.getStatus()));
    }
    return states;
  }
}
