package io.capstan.segmenter.progress;

import io.capstan.segmenter.job.JobSegmenter;
import io.capstan.segmenter.job.OutputKey;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What this instance does with one capstan.packets partition: its jobs, the jobs that ended, where
 * each output's latest playlist went, and so which offset may be committed: never past the first
 * record of a slice still in progress (it lives in memory only).
 */
public final class PartitionProgress implements AutoCloseable {

  private final Map<String, JobSegmenter> jobs = new LinkedHashMap<>();
  private final Map<String, Long> ended;
  private final Map<OutputKey, ResumeNote.OutputNote> inherited;
  private final Map<OutputKey, FileRef> playlists = new HashMap<>();
  private long next = -1;
  /** The offset and note last committed (or found committed), -1 and null while unknown. */
  private long committedOffset = -1;
  private String committedNote;

  public PartitionProgress(ResumeNote inheritedNote) {
    this.ended = new LinkedHashMap<>(inheritedNote.endedJobs());
    this.inherited = new LinkedHashMap<>(inheritedNote.outputs());
    inherited.forEach((key, note) -> {
      if (note.playlist() != null) {
        playlists.put(key, note.playlist());
      }
    });
  }

  public Map<String, JobSegmenter> jobs() {
    return jobs;
  }

  public boolean hasEnded(String jobId) {
    return ended.containsKey(jobId);
  }

  public void jobEnded(String jobId, long nextOffset) {
    JobSegmenter job = jobs.remove(jobId);
    if (job != null) {
      job.close();
    }
    ended.put(jobId, nextOffset);
    inherited.keySet().removeIf(k -> k.jobId().equals(jobId));
    playlists.keySet().removeIf(k -> k.jobId().equals(jobId));
  }

  /** What the previous owner left for {@code key}; handed out once. */
  public Optional<ResumeNote.OutputNote> takeInherited(OutputKey key) {
    return Optional.ofNullable(inherited.remove(key));
  }

  public void playlistWritten(OutputKey key, FileRef ref) {
    playlists.put(key, ref);
  }

  public void processed(long offset) {
    next = Math.max(next, offset + 1);
  }

  /** The offset to commit, or -1 when nothing was read since the partition was assigned. */
  public long committable() {
    if (next < 0) {
      return -1;
    }
    long commit = next;
    for (JobSegmenter job : jobs.values()) {
      long pending = job.pendingOffset();
      if (pending >= 0) {
        commit = Math.min(commit, pending);
      }
    }
    return commit;
  }

  /** The note to commit with {@code committed}: everything a new owner must know past it. */
  public ResumeNote noteFor(long committed) {
    ResumeNote note = ResumeNote.empty();
    ended.forEach((jobId, after) -> {
      if (after > committed) {
        note.endedJobs().put(jobId, after);
      }
    });
    // Carried on until an output takes it over or its job ends.
    note.outputs().putAll(inherited);
    for (JobSegmenter job : jobs.values()) {
      for (OutputKey key : job.outputKeys()) {
        long resume = job.resumeOffset(key);
        FileRef playlist = playlists.get(key);
        boolean discontinuity = job.pendingDiscontinuity(key);
        long carry = job.carry(key);
        // Records to skip, a playlist to continue, a break to mark or a state to keep: a new owner must know.
        if (resume > committed || playlist != null || discontinuity || carry != 0) {
          note.outputs().put(key, new ResumeNote.OutputNote(resume, playlist, discontinuity, carry));
        }
      }
    }
    return note;
  }

  /** Frees what the jobs in progress hold (open MP4 muxers, snapshot codecs); their state is dropped. */
  @Override
  public void close() {
    jobs.values().forEach(JobSegmenter::close);
    jobs.clear();
  }

  /** Forgets ended jobs whose every record is below the committed offset. */
  public void committed(long offset, String note) {
    ended.values().removeIf(after -> after <= offset);
    foundCommitted(offset, note);
  }

  /** The offset and note the group holds for this partition when it is assigned. */
  public void foundCommitted(long offset, String note) {
    committedOffset = offset;
    committedNote = note;
  }

  /** True when committing {@code offset} with {@code note} would change nothing the group holds. */
  public boolean isCommitted(long offset, String note) {
    return offset == committedOffset && note.equals(committedNote);
  }
}
