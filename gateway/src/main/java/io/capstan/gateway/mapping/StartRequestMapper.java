package io.capstan.gateway.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.schemas.Decryption;
import io.capstan.schemas.FileConfig;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.SnapshotConfig;
import io.capstan.schemas.Source;
import io.capstan.schemas.StreamTypes;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.Transcoding;
import io.capstan.schemas.Webhook;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The start body ({@code {cname, uid, clientRequest:{...}}}) of one mode into the JobSpec that
 * the Start command carries. Pure: no Kafka, no clock; every refusal is an
 * {@link InvalidRequestException} naming the field.
 */
public final class StartRequestMapper {

  /** {@code sources}: what {@code clientRequest.sources} may name (files, lavfi graphs, addresses). */
  public record Options(SourcePolicy sources) {
    public static final Options DEFAULTS = new Options(false);

    /** {@code allowFileSources}: whether sources may name files on the ingest machines; private addresses refused. */
    public Options(boolean allowFileSources) {
      this(new SourcePolicy(allowFileSources, AddressPolicy.of(false)));
    }
  }

  /** The callback event types of the reference, which {@code notificationConfig.eventTypes} may name. */
  static final Set<Integer> EVENT_TYPES = Set.of(1, 2, 3, 4, 11, 12, 30, 31, 32, 33, 40, 41, 42, 43, 44, 45,
      70, 71, 72, 73, 80, 81, 90, 100, 1001);
  private static final String REQUEST = "clientRequest";

  private final Options options;

  public StartRequestMapper(Options options) {
    this.options = options;
  }

  public StartRequest map(JsonNode body, String mode, StartContext context) {
    RecordingMode recordingMode = Modes.parse(mode);
    Obj root = Obj.of(body, "");
    Caller caller = Caller.read(root);
    Obj request = root.requiredObject(REQUEST);
    root.noteUnknown();
    checkScene(recordingMode, context.scene());

    JobSpec.Builder spec = JobSpec.newBuilder()
        .setJobId(context.sid())
        .setResourceId(context.resourceId())
        .setAppId(context.appId())
        .setChannel(caller.cname())
        .setRecorderUid(caller.uid())
        .setMode(recordingMode)
        .setSubscriptions(Subscriptions.newBuilder().build())
        .setDecryption(Decryption.newBuilder().build())
        .setStartedUtcMs(0);
    // Channel tokens authenticate a recorder to the hosted product's channels; Capstan's sources have none.
    request.ignore("token");
    FileConfig files = fileConfig(request.object("recordingFileConfig"));
    if (recordingMode == RecordingMode.WEB) {
      if (request.has("recordingConfig")) {
        throw request.invalid("recordingConfig", "not used in web mode (see extensionServiceConfig)");
      }
      WebRecordingMapper.apply(request.requiredObject("extensionServiceConfig"), spec, files);
    } else {
      if (request.has("extensionServiceConfig")) {
        throw request.invalid("extensionServiceConfig", "only in web mode");
      }
      RecordingConfigMapper.apply(request.requiredObject("recordingConfig"), recordingMode, spec);
      if (recordingMode == RecordingMode.COMPOSITE && !spec.hasTranscoding()) {
        spec.setTranscoding(Transcoding.newBuilder().setLayout(Layout.newBuilder().build()).build());
      }
    }
    Obj snapshot = request.object("snapshotConfig");
    if (snapshot != null) {
      spec.setSnapshots(snapshots(snapshot, recordingMode, spec.getStreamTypes()));
      if (!request.has("recordingFileConfig")) {
        // The hosted product's screenshot recording: snapshotConfig alone records snapshots and no
        // audio/video files. (With recordingFileConfig too, Capstan records both.)
        files.setAvFileType(List.of());
      }
    }
    spec.setFiles(files);
    Obj storage = request.object("storageConfig");
    if (storage != null) {
      spec.setStorage(StorageMapper.storage(storage));
    }
    Obj notification = request.object("notificationConfig");
    if (notification != null) {
      spec.setWebhooks(List.of(webhook(notification)));
    }
    if (recordingMode != RecordingMode.WEB) {
      PostProcessingMapper.afterRecording(request, recordingMode, context.scene(), spec);
    } else if (request.has("appsCollection") || request.has("transcodeOptions")) {
      throw request.invalid(request.has("appsCollection") ? "appsCollection" : "transcodeOptions",
          "only in individual mode");
    }
    if (recordingMode != RecordingMode.WEB && request.has("sourceRecording")) {
      PostProcessingMapper.sourceRecording(request, recordingMode, spec);
    } else if (recordingMode != RecordingMode.WEB) {
      List<Source> sources = SourceMapper.sources(request, "sources", options.sources());
      spec.setSources(sources);
      spec.setPacing(SourceMapper.pacing(request, "pacing", sources));
    } else if (request.has("sourceRecording")) {
      throw request.invalid("sourceRecording", "only in mix mode (it composes a finished individual recording)");
    } else if (request.has("sources") || request.has("pacing")) {
      throw request.invalid(request.has("sources") ? "sources" : "pacing", "not used in web mode (the page is the source)");
    }
    request.noteUnknown();
    return new StartRequest(caller, spec.build(), root.unknownFields());
  }

  /** Scene 1 (web page) goes with web mode only; scene 2 (postponed transcoding) with individual. */
  private static void checkScene(RecordingMode mode, int scene) {
    if (mode == RecordingMode.WEB && scene != 1) {
      throw new InvalidRequestException("resourceId", "web mode needs a resourceId acquired with clientRequest.scene 1");
    }
    if (mode != RecordingMode.WEB && scene == 1) {
      throw new InvalidRequestException("resourceId", "acquired with clientRequest.scene 1, which is for web mode only");
    }
    if (scene == 2 && mode != RecordingMode.INDIVIDUAL) {
      throw new InvalidRequestException("resourceId", "acquired with clientRequest.scene 2, which is for individual mode only");
    }
  }

  private static FileConfig fileConfig(Obj f) {
    FileConfig files = FileConfig.newBuilder().build();
    if (f == null) {
      return files;
    }
    List<String> types = f.strings("avFileType");
    if (types != null) {
      if (!types.contains("hls") || !Set.of("hls", "mp4").containsAll(types) || types.size() != Set.copyOf(types).size()) {
        throw f.invalid("avFileType", "must be [\"hls\"] or [\"hls\", \"mp4\"], got " + types);
      }
      files.setAvFileType(types.contains("mp4") ? List.of("hls", "mp4") : List.of("hls"));
    }
    files.setMaxFileDurationMinutes(f.integer("maxFileDuration", 120, 1, 720));
    files.setSliceSeconds(f.integer("sliceSeconds", 10, 2, 30));
    f.noteUnknown();
    return files;
  }

  private static SnapshotConfig snapshots(Obj s, RecordingMode mode, StreamTypes streamTypes) {
    int interval = s.integer("captureInterval", 10, 5, 3600);
    List<String> fileType = s.strings("fileType");
    if (fileType != null && !fileType.equals(List.of("jpg"))) {
      throw s.invalid("fileType", "must be [\"jpg\"], got " + fileType);
    }
    if (mode != RecordingMode.INDIVIDUAL) {
      throw new InvalidRequestException(s.path(), "only in individual mode");
    }
    if (streamTypes == StreamTypes.AUDIO_ONLY) {
      throw new InvalidRequestException(s.path(), "needs video (recordingConfig.streamTypes is 0, audio only)");
    }
    s.noteUnknown();
    return SnapshotConfig.newBuilder().setCaptureIntervalSeconds(interval).build();
  }

  private static Webhook webhook(Obj n) {
    String url = n.requiredString("url");
    Urls.require(n, "url", url, Urls.WEB);
    String secret = n.string("secret");
    List<Integer> types = n.integers("eventTypes");
    if (types != null) {
      for (int i = 0; i < types.size(); i++) {
        if (!EVENT_TYPES.contains(types.get(i))) {
          throw new InvalidRequestException(n.path("eventTypes") + "[" + i + "]",
              "not a callback event type of the reference: " + types.get(i));
        }
      }
      types = new ArrayList<>(types);
    }
    n.noteUnknown();
    return Webhook.newBuilder().setUrl(url).setSecret(secret).setEventTypes(types).build();
  }
}
