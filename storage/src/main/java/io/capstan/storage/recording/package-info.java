/**
 * Reading a recording back from storage: which files a sid left there ({@code RecordingFiles}),
 * its HLS playlists ({@code StoredPlaylist}) and local copies of a playlist with its slices
 * ({@code LocalCopy}), for the jobs and tools that make something of a finished recording.
 */
package io.capstan.storage.recording;
