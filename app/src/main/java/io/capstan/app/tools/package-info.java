/**
 * File tools of the {@code capstan} command for finished recordings on any supported storage or in
 * a local folder: {@code convert} (an HLS playlist to one MP4), {@code merge} (one uid's audio and
 * video to one MP4, gaps black and silent) and {@code mix-audio} (every uid's audio to one file).
 * They read the recording back through the storage module into a temp folder, check every slice
 * is there (a missing one is named, and the tool stops with exit code 3), then let FFmpeg work.
 */
package io.capstan.app.tools;
