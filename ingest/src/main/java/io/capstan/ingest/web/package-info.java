/**
 * The page source of a web recording ({@code mode=web}): a real Chromium renders the page into
 * its own virtual X display (Xvfb) and plays its sound into its own PulseAudio server with one
 * null sink; FFmpeg's {@code x11grab} and {@code pulse} inputs (in JavaCV's bundled FFmpeg) read
 * the picture as I420 and the sound as 48 kHz s16 PCM.
 *
 * <p>Why not {@code Page.startScreencast}: it sends JPEGs only when the page repaints, at a rate
 * Chromium chooses, and costs a JPEG encode and decode per frame; and headless Chromium still
 * needs a sound server for audio. Xvfb + x11grab (shared memory) is cheaper and gives frames at
 * exactly the requested rate.
 *
 * <p>Isolation: every {@link io.capstan.ingest.web.PageSession} has its own temporary directory
 * holding the browser profile ({@code --user-data-dir}), the PulseAudio runtime/config dir and
 * socket; its own display number (Xvfb picks a free one, {@code -displayfd}); and Chromium finds
 * only its own sound server ({@code PULSE_SERVER}, autospawn off). Two sessions on one machine
 * share nothing but the kernel.
 *
 * <p>The browser is driven through the DevTools protocol ({@link io.capstan.ingest.web.DevToolsClient}):
 * navigation errors, load events, crashes and {@code navigator.notifyReady()} (a
 * {@code Runtime.addBinding}) arrive as protocol events, so nothing polls.
 */
package io.capstan.ingest.web;
