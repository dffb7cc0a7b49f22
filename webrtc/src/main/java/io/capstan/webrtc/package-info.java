/**
 * Capstan's native WebRTC layer on libwebrtc (webrtc-java 0.14): {@link io.capstan.webrtc.ReceiveSession}
 * answers WHIP publishers and offers to WHEP servers, handing decoded I420 pictures and 48 kHz
 * PCM to a {@link io.capstan.webrtc.MediaSink}; {@link io.capstan.webrtc.SendSession} sends
 * generated media for tests and benchmarks.
 *
 * <p>Design notes. One PeerConnectionFactory receives for the whole process, on a headless
 * audio module whose 10 ms playout thread pulls every remote audio track (so a slow
 * {@code MediaSink.audio} delays all sessions' audio). Sending uses a second factory whose module
 * is cut off from libwebrtc: in 0.14 the headless module's "recording" pulls the mixed playout
 * and pushes it into every audio send stream, racing custom sources (see {@code Rtc}).
 * Descriptions are non-trickle (candidates gathered before the SDP is handed out); remote trickle
 * fragments are accepted. Connection events reach a {@link io.capstan.webrtc.SessionListener} on
 * one Capstan thread, never on libwebrtc's, so listeners may close their session.
 */
package io.capstan.webrtc;
