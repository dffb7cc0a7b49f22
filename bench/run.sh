#!/usr/bin/env bash
# capstan bench: recordings per core beside FFmpeg, in one run (see README, "Benchmarks").
# Builds app/target/capstan.jar when a source is newer (through ./capstan), then runs the bench.
#   bench/run.sh                                   # 1 composite + 1 individual job, 60 s of media each
#   bench/run.sh -n 1 -m 1 --seconds 30 --live     # the README's figures
#   bench/run.sh --help                            # every option
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The JVM options are ./capstan's own (-Xms256m -Xmx2g): what a deployment runs. CAPSTAN_JAVA_OPTS overrides them.
exec "$root/capstan" bench "$@"
