/**
 * Offsets, and what happens when a packets partition changes owner.
 *
 * <p><b>What is committed.</b> A slice in progress lives only in this instance's memory. Each poll
 * batch is one Kafka transaction holding the files and events it produced and, per partition, the
 * offset {@code min(next record to read, first record of every slice still in progress)}: records
 * below it are in slices already on capstan.files; records from it on are not, or not all. With it
 * goes a {@link io.capstan.segmenter.progress.ResumeNote} (the offset's metadata): per output that
 * has slices out or records past the committed offset, from which offset its records are new, where its latest
 * playlist sits in capstan.files and whether its next slice follows a break; and the jobs that
 * ended past the committed offset.
 *
 * <p><b>On restart or rebalance</b> the new owner (another instance, or this one after a failed
 * transaction, which it aborts) reads from the committed offset, so it sees again the first packet
 * of every slice in progress: for the composite output that is the IDR keyframe on the slice
 * boundary, and the slice is made again, byte for byte the same, under the same name. Records an
 * output had already written (other outputs of the partition may have been ahead) are skipped by
 * offset; ended jobs are skipped entirely. When an output meets its first record, its playlist is
 * read back from capstan.files and continued, so the playlist keeps every slice and SliceStart is
 * not sent again. Nothing is lost and nothing is written twice, except: if the note does not fit in
 * the broker's offset metadata limit (4 KiB by default, about 40 outputs per partition), the
 * outputs left out of it write their recent slices again (same names, so the store just overwrites
 * them) and start a new playlist.
 *
 * <p><b>MP4 files</b> are outputs too, but a file in progress is not held back: its chunks leave
 * as the muxer writes them, while the committed offset stays at the file's first record until the
 * file is finished (FFmpeg's muxer state cannot be resumed). A new owner replays the file from
 * there and sends it again from byte 0, the same bytes under the same name (the muxer is
 * bit-exact), and the note carries the file's index. So with MP4 on, a partition's committed
 * offset can lag by up to maxFileDuration: a takeover replays that much, and every other output of
 * the partition must fit in the note meanwhile. Snapshot outputs hold nothing back; the note
 * carries when their next snapshot is due.
 *
 * <p>The transactions fence a zombie owner (offsets are sent with the consumer's group metadata),
 * and consumers of capstan.files read committed records only, so aborted slices never reach the
 * uploader.
 */
package io.capstan.segmenter.progress;
