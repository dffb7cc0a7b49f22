package io.capstan.segmenter.job;

import io.capstan.schemas.TrackConfig;
import io.capstan.segmenter.hls.SegmentType;
import io.capstan.segmenter.hls.SliceMuxer;
import io.capstan.segmenter.mux.MemoryMuxer;
import io.capstan.segmenter.snapshot.KeyframeJpeg;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * How a job's outputs make their files: the HLS slice muxer, the MP4 muxer, the snapshot encoder,
 * and the service's overrides of the job's settings.
 *
 * @param hlsType the container of HLS slices ({@code slices} must make it)
 * @param mp4MaxSeconds the MP4 file length in seconds instead of the job's maxFileDurationMinutes; 0: the job's
 * @param chunkBytes largest FileChunk of an MP4 file
 */
public record Outputs(SliceMuxer slices, SegmentType hlsType, BiFunction<TrackConfig, TrackConfig, MemoryMuxer> mp4,
                      Supplier<KeyframeJpeg> jpegs, int mp4MaxSeconds, int chunkBytes) {
}
