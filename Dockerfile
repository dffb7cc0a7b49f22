# One image for every Capstan service; the container's command picks which to run:
#   docker run capstan serve --services mixer
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
# libpulse0: JavaCV's FFmpeg (libavdevice) loads libpulse.so.0; Chromium, Xvfb and PulseAudio: web recording.
COPY scripts/install-web-recording-deps.sh /tmp/
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && /tmp/install-web-recording-deps.sh && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/capstan
COPY --from=build /src/app/target/capstan.jar ./capstan.jar
COPY --from=build /src/app/target/lib ./lib
ENV CAPSTAN_KAFKA_BOOTSTRAP_SERVERS=kafka:9092 \
    CAPSTAN_UPLOADER_LOCAL_ROOT=/recordings \
    CAPSTAN_JAVA_OPTS="-Xms256m -Xmx2g -XX:-UsePerfData"
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec java $CAPSTAN_JAVA_OPTS -jar /opt/capstan/capstan.jar \"$@\"", "capstan"]
CMD ["serve", "--services", "ingest,mixer,segmenter,uploader,notifier,gateway"]
