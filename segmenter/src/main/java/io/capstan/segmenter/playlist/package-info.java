/** HLS media playlists as data and text; pure, no I/O. */
package io.capstan.segmenter.playlist;
