package io.capstan.ingest.job;

/**
 * recorder_leave leaveCode bits of the reference (0 init, 2 signalling, 4 no users, 8 timer,
 * 16 client leave), as ingest uses them.
 */
public final class LeaveCode {

  /** maxIdleTime passed without any active source. */
  public static final int NO_USERS = 4;
  /**
   * A FAST job whose sources have all ended: the media's own length ended the job, which is
   * closest to the reference's timer bit.
   */
  public static final int SOURCES_ENDED = 8;
  /** A Stop command. */
  public static final int CLIENT_LEAVE = 16;

  private LeaveCode() {
  }
}
