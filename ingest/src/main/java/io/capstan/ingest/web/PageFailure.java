package io.capstan.ingest.web;

/**
 * Why a page session stopped working while it ran.
 *
 * @param kind what happened
 * @param detail for logs and the event's {@code details}
 */
public record PageFailure(Kind kind, String detail) {

  public enum Kind {
    /** The page's renderer crashed (Chromium shows "Aw, Snap!"): nothing more will be drawn. */
    PAGE_CRASHED,
    /** The browser process exited or its DevTools connection dropped. */
    BROWSER_EXITED,
    /** The virtual display or the sound server exited. */
    ENGINE_EXITED
  }

  /** Every failure while recording ends the recording with event 71, code 6. */
  public WebStopCode stopCode() {
    return WebStopCode.RECORDER_ERROR;
  }
}
