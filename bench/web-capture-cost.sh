#!/usr/bin/env bash
# What one 1280x720@15 web recording's page source costs (Chromium, Xvfb, PulseAudio and the JVM's
# grabbing threads), for a still and an animated page. Prints cores used; needs chromium, xvfb, pulseaudio.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl ingest -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/classpath.txt
exec java -cp "ingest/target/test-classes:ingest/target/classes:$(cat ingest/target/classpath.txt)" \
  io.capstan.ingest.web.PageCaptureCost
