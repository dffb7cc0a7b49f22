/**
 * The files of post-processing jobs (JobSpec.postProcessing): postponed transcoding makes one MP4
 * per uid, named {@code <sourceSid>_<cname>__uid_s_<uid>__uid_e_av_<utc>.mp4} (utc: the source
 * session's start); audio mix makes one audio file {@code <sourceSid>_<cname>_0.<format>} (mp3,
 * m4a or aac). Neither is split and neither has HLS. Re-composition is an ordinary composite.
 */
package io.capstan.segmenter.post;
