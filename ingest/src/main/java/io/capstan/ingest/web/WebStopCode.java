package io.capstan.ingest.web;

/**
 * The {@code code} and {@code message} of event 71 (web_recorder_stopped), as the reference
 * numbers them.
 */
public enum WebStopCode {
  OK(0, "ok"),
  MAX_RECORDING_HOUR(1, "max_recording_hour"),
  CAPABILITY_LIMIT(2, "capability_limit"),
  /** The browser, display or sound server could not start (or is not installed). */
  START_ENGINE_FAILED(3, "start_engine_failed"),
  /** The page did not call {@code notifyReady()} in time, twice. */
  PAGE_LOAD_TIMEOUT(4, "page_load_timeout"),
  /** The URL did not answer or its navigation failed. */
  ACCESS_URL_FAILED(5, "access_url_failed"),
  /** The page crashed or the browser died while recording. */
  RECORDER_ERROR(6, "recorder_error");

  private final int code;
  private final String message;

  WebStopCode(int code, String message) {
    this.code = code;
    this.message = message;
  }

  public int code() {
    return code;
  }

  public String message() {
    return message;
  }
}
