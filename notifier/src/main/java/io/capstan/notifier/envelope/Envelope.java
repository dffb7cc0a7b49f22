package io.capstan.notifier.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.runtime.events.ErrorLevel;
import io.capstan.runtime.events.EventModule;
import io.capstan.runtime.events.EventType;
import io.capstan.runtime.events.ExitStatus;
import io.capstan.schemas.AudioStreamStateChanged;
import io.capstan.schemas.Backuped;
import io.capstan.schemas.FileEntry;
import io.capstan.schemas.FileInfo;
import io.capstan.schemas.Notice;
import io.capstan.schemas.RecorderLeave;
import io.capstan.schemas.RecorderStarted;
import io.capstan.schemas.RecordingError;
import io.capstan.schemas.RecordingEvent;
import io.capstan.schemas.RecordingWarning;
import io.capstan.schemas.SessionExit;
import io.capstan.schemas.SessionFailover;
import io.capstan.schemas.SliceStart;
import io.capstan.schemas.SnapshotFile;
import io.capstan.schemas.DownloadFailed;
import io.capstan.schemas.PostponeTranscodeFinalResult;
import io.capstan.schemas.RtmpPublishStatus;
import io.capstan.schemas.TranscodedFile;
import io.capstan.schemas.TranscoderCompleted;
import io.capstan.schemas.WebRecorderCapabilityLimit;
import io.capstan.schemas.WebRecorderReload;
import io.capstan.schemas.WebRecorderStarted;
import io.capstan.schemas.WebRecorderStopped;
import io.capstan.schemas.StatusUpdate;
import io.capstan.schemas.Uploaded;
import io.capstan.schemas.UploaderStarted;
import io.capstan.schemas.UploadingProgress;
import io.capstan.schemas.VideoStreamStateChanged;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The callback body of the reference ("Callbacks (notifications)"):
 * {@code {noticeId, productId: 3, eventType, notifyMs, sid, payload:{cname, uid, sid, sequence,
 * sendts, serviceType, details:{msgName, ...}}}}, details named as the hosted product names them.
 */
public final class Envelope {

  /** The hosted product's id for cloud recording. */
  public static final int PRODUCT_ID = 3;

  private static final ObjectMapper JSON = new ObjectMapper();

  private Envelope() {
  }

  /** The body as sent: UTF-8 JSON. {@code notifyMs} is the send time of this attempt. */
  public static byte[] body(Notice notice, long notifyMs) {
    try {
      return JSON.writeValueAsString(tree(notice, notifyMs)).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  public static ObjectNode tree(Notice notice, long notifyMs) {
    RecordingEvent event = notice.getEvent();
    EventType type = EventType.of(event.getDetails());
    ObjectNode root = JSON.createObjectNode();
    root.put("noticeId", notice.getNoticeId());
    root.put("productId", PRODUCT_ID);
    root.put("eventType", type.code());
    root.put("notifyMs", notifyMs);
    root.put("sid", event.getJobId());
    ObjectNode payload = root.putObject("payload");
    payload.put("cname", event.getChannel());
    payload.put("uid", event.getRecorderUid());
    payload.put("sid", event.getJobId());
    payload.put("sequence", notice.getSequence());
    payload.put("sendts", event.getUtcMs());
    payload.put("serviceType", type.serviceType());
    ObjectNode details = payload.putObject("details");
    details.put("msgName", type.msgName());
    putDetails(details, event.getDetails());
    return root;
  }

  private static void putDetails(ObjectNode d, Object details) {
    if (details instanceof RecordingError e) {
      // stat: 0 while the recording is fine despite the error, 1 when the error ends it.
      d.put("module", EventModule.number(e.getModule())).put("errorLevel", e.getErrorLevel())
          .put("errorCode", e.getErrorCode()).put("stat", e.getErrorLevel() == ErrorLevel.FATAL ? 1 : 0)
          .put("errorMsg", e.getErrorMsg());
    } else if (details instanceof RecordingWarning w) {
      d.put("module", EventModule.number(w.getModule())).put("warnCode", w.getWarnCode());
      if (!w.getMessage().isEmpty()) {
        d.put("message", w.getMessage()); // Capstan's addition: says what the code means
      }
    } else if (details instanceof StatusUpdate s) {
      d.put("status", s.getStatus()).put("recordingMode", s.getRecordingMode()).put("fileList", s.getFileList());
    } else if (details instanceof FileInfo f) {
      d.put("fileList", playlist(f)); // the documented string: the playlist just stored
    } else if (details instanceof SessionExit e) {
      // Agora's exitStatus is 0 or 1; Capstan's reason for a 1 is its own field.
      d.put("exitStatus", e.getExitStatus() == ExitStatus.NORMAL ? 0 : 1);
      if (e.getExitStatus() != ExitStatus.NORMAL) {
        d.put("exitReason", e.getExitStatus());
      }
    } else if (details instanceof SessionFailover f) {
      putNumber(d, "newUid", f.getNewUid());
    } else if (details instanceof UploaderStarted s) {
      d.put("status", s.getStatus());
    } else if (details instanceof Uploaded u) {
      d.put("status", u.getStatus());
      putFiles(d, u.getFileList());
    } else if (details instanceof Backuped b) {
      d.put("status", b.getStatus());
      putFiles(d, b.getFileList());
    } else if (details instanceof UploadingProgress p) {
      d.put("progress", p.getProgress());
    } else if (details instanceof RecorderStarted s) {
      d.put("status", s.getStatus());
    } else if (details instanceof RecorderLeave l) {
      d.put("leaveCode", l.getLeaveCode());
    } else if (details instanceof SliceStart s) {
      // The composite stream is uid "0", as in Agora's docs (and in fileList entries).
      d.put("startUtcMs", s.getStartUtcMs()).put("discontinueUtcMs", s.getDiscontinueUtcMs())
          .put("mixedAllUser", s.getMixedAllUser())
          .put("streamUid", s.getStreamUid().isEmpty() ? "0" : s.getStreamUid())
          .put("trackType", s.getTrackType().isEmpty() ? "audio_and_video" : s.getTrackType());
    } else if (details instanceof AudioStreamStateChanged a) {
      d.put("streamUid", a.getStreamUid()).put("state", a.getState()).put("UtcMs", a.getUtcMs());
    } else if (details instanceof VideoStreamStateChanged v) {
      d.put("streamUid", v.getStreamUid()).put("state", v.getState()).put("UtcMs", v.getUtcMs());
    } else if (details instanceof SnapshotFile s) {
      d.put("fileName", s.getFileName());
    } else {
      putWebAndTranscoderDetails(d, details);
    }
  }

  /** Web recorder (70–73, 100) and post-processing (80, 81, 90, 1001) events. */
  private static void putWebAndTranscoderDetails(ObjectNode d, Object details) {
    if (details instanceof WebRecorderStarted s) {
      d.put("recorderStartTime", s.getRecorderStartTime());
    } else if (details instanceof WebRecorderStopped s) {
      d.put("code", s.getCode()).put("message", s.getMessage()).put("details", s.getDetails());
      ArrayNode files = d.putArray("fileList");
      s.getFileList().forEach(f -> files.addObject().put("fileName", f.getFileName())
          .put("sliceStartTime", f.getSliceStartTime()));
    } else if (details instanceof WebRecorderCapabilityLimit l) {
      d.put("limitType", l.getLimitType());
    } else if (details instanceof WebRecorderReload r) {
      d.put("reason", r.getReason());
    } else if (details instanceof RtmpPublishStatus r) {
      d.put("rtmpUrl", r.getRtmpUrl()).put("status", r.getStatus());
    } else if (details instanceof TranscoderCompleted c) {
      d.put("result", c.getResult());
      ArrayNode uids = d.putArray("uids");
      c.getUids().forEach(u -> {
        ObjectNode uid = uids.addObject().put("uid", u.getUid()).put("result", u.getResult());
        putNames(uid, u.getFileList());
      });
    } else if (details instanceof DownloadFailed f) {
      d.put("vendor", f.getVendor());
      putNumber(d, "region", f.getRegion()); // a region given by name (Capstan's addition) stays a string
      d.put("bucket", f.getBucket()).put("fileName", f.getFileName());
    } else if (details instanceof PostponeTranscodeFinalResult r) {
      d.put("result", r.getResult());
      putNames(d, r.getFileList());
    }
    // TranscoderStarted (80) has no details besides msgName.
  }

  /** Agora's numbers that Capstan keeps as strings (uids, region codes): a number when they are one. */
  private static void putNumber(ObjectNode d, String field, String value) {
    if (!value.isEmpty() && value.length() < 19 && value.chars().allMatch(Character::isDigit)) {
      d.put(field, Long.parseLong(value));
    } else {
      d.put(field, value);
    }
  }

  private static String playlist(FileInfo info) {
    if (!info.getPlaylist().isEmpty()) {
      return info.getPlaylist();
    }
    // A record from before the field: the first playlist of the list.
    return info.getFileList().stream().map(FileEntry::getFileName).filter(n -> n.endsWith(".m3u8")).findFirst()
        .orElse("");
  }

  private static void putNames(ObjectNode d, List<TranscodedFile> files) {
    ArrayNode list = d.putArray("fileList");
    files.forEach(f -> list.addObject().put("fileName", f.getFileName()));
  }

  private static void putFiles(ObjectNode d, List<FileEntry> files) {
    ArrayNode list = d.putArray("fileList");
    for (FileEntry f : files) {
      list.addObject()
          .put("fileName", f.getFileName())
          .put("trackType", f.getTrackType())
          .put("uid", f.getUid())
          .put("mixedAllUser", f.getMixedAllUser())
          .put("isPlayable", f.getIsPlayable())
          .put("sliceStartTime", f.getSliceStartTime());
    }
  }
}
