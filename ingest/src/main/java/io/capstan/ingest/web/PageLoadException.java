package io.capstan.ingest.web;

import java.io.IOException;

/**
 * The page's URL did not answer or its navigation failed (connection refused, DNS, TLS, timeout):
 * event 71 with {@link WebStopCode#ACCESS_URL_FAILED}. The message is Chromium's error text,
 * e.g. {@code net::ERR_CONNECTION_REFUSED}, and never the URL (it may carry tokens).
 */
public final class PageLoadException extends IOException {

  public PageLoadException(String message) {
    super(message);
  }

  public WebStopCode stopCode() {
    return WebStopCode.ACCESS_URL_FAILED;
  }
}
