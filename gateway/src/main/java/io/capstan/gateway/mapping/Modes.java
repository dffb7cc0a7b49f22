package io.capstan.gateway.mapping;

import io.capstan.schemas.RecordingMode;

/** The {@code mode} path segment: {@code individual}, {@code mix} (composite) or {@code web}. */
public final class Modes {

  private Modes() {
  }

  public static RecordingMode parse(String mode) {
    return switch (mode == null ? "" : mode) {
      case "individual" -> RecordingMode.INDIVIDUAL;
      case "mix" -> RecordingMode.COMPOSITE;
      case "web" -> RecordingMode.WEB;
      default -> throw new InvalidRequestException("mode", "must be individual, mix or web, got '" + mode + "'");
    };
  }

  public static String name(RecordingMode mode) {
    return switch (mode) {
      case INDIVIDUAL -> "individual";
      case COMPOSITE -> "mix";
      case WEB -> "web";
    };
  }
}
