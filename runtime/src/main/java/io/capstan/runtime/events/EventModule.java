package io.capstan.runtime.events;

/**
 * The {@code module} number of cloud_recording_error and cloud_recording_warning as Agora numbers
 * them, for the Capstan service that sent the event: the services that make the recording (ingest,
 * mixer, segmenter) are the recorder, the uploader is the uploader, a web page recording is the web
 * page recording service. Events keep the service's own name; the webhook carries the number.
 */
public final class EventModule {

  /** The name web page recordings report their errors under (ingest runs them). */
  public static final String WEB = "web";

  public static final int RECORDER = 0;
  public static final int UPLOADER = 1;
  public static final int WEB_RECORDER = 6;

  private EventModule() {
  }

  public static int number(String serviceName) {
    return switch (serviceName) {
      case "uploader" -> UPLOADER;
      case WEB -> WEB_RECORDER;
      default -> RECORDER;
    };
  }
}
