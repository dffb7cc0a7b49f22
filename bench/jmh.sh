#!/usr/bin/env bash
# JMH micro-benchmarks of the hot paths (frame serialisation, composing one output frame, mixing
# 20 ms of audio). Builds the benchmarks module when a source is newer than its classes, then runs
# JMH's own runner on target/classes plus the module's dependency classpath (no shaded jar).
#   bench/jmh.sh                       # every benchmark, short: -wi 2 -i 3 -f 1 -w 2s -r 3s
#   bench/jmh.sh Compose -wi 5 -i 10   # a subset (regex) and JMH's own options (the rest stay short)
#   bench/jmh.sh -prof gc              # plus bytes allocated per operation (independent of machine load)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classes="$root/benchmarks/target/classes"
classpath="$root/benchmarks/target/classpath.txt"

need_build() {
  [ ! -f "$classpath" ] || [ ! -f "$classes/META-INF/BenchmarkList" ] && return 0
  [ -n "$(find "$root" -path "$root/*/target" -prune -o \( -name '*.java' -o -name '*.avdl' -o -name 'pom.xml' \) -newer "$classpath" -print -quit)" ]
}

if need_build; then
  echo "jmh: building the benchmarks module..." >&2
  (cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests) >&2
fi

args=("$@")
# Short by default: each of these applies unless the same option is given.
defaults=(-wi 2 -i 3 -f 1 -w 2s -r 3s)
for ((k = 0; k < ${#defaults[@]}; k += 2)); do
  given=false
  for a in "${args[@]+"${args[@]}"}"; do [[ "$a" == "${defaults[k]}" ]] && given=true; done
  $given || args+=("${defaults[k]}" "${defaults[k+1]}")
done
exec java ${CAPSTAN_JMH_JAVA_OPTS:-} -cp "$classes:$(cat "$classpath")" org.openjdk.jmh.Main "${args[@]+"${args[@]}"}"
