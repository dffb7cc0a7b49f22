#!/usr/bin/env bash
# Installs what web page recording (mode=web) runs on a Debian/Ubuntu machine: Debian's
# Chromium, the Xvfb virtual display and the PulseAudio sound server (plus libpulse0, which
# JavaCV's FFmpeg needs anyway). Idempotent: does nothing when all are on PATH.
# Usage (as root, e.g. from .ci/run or a Dockerfile): scripts/install-web-recording-deps.sh
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v pulseaudio >/dev/null 2>&1 || need+=(pulseaudio)
ldconfig -p 2>/dev/null | grep -q 'libpulse.so.0' || need+=(libpulse0)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Recommends are not needed (verified with Debian 12: chromium 156, xvfb 21.1, pulseaudio 16.1);
# fonts-liberation gives pages the usual Arial/Times/Courier metrics.
apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-liberation
