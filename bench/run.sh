#!/usr/bin/env bash
# The side-by-side benchmark (README "Performance"): the same sample apps with no agent, an empty -javaagent,
# smtpwatch and the OpenTelemetry Java agent, in interleaved rounds; start-up, throughput, send latency with the
# exporter down or slow, footprint, and the per-session cost (JMH). Writes its tables into docs/performance.md.
# Usage: bash bench/run.sh [rounds]   (default 9; 3 rounds took 71 minutes on a 2-core machine)
#        bash bench/run.sh --smoke    (keeps it working: each part once and small, without the OpenTelemetry
#                                      agent and JMH, written to sample-apps/demo/target/ only; .ci/run runs it)
#        bash bench/run.sh --part=startup|throughput|exporter|footprint [rounds]
#                                     (one part alone, e.g. with more rounds for a target a full run cannot
#                                      resolve; written to sample-apps/demo/target/bench-suite/ only)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == --smoke ]]; then
  [[ "${2:-}" == --built ]] || mvn -B -q -ntp package -DskipTests -pl sample-apps/demo -am
  exec java -cp sample-apps/demo/target/app.jar dev.smtpwatch.demo.BenchSuite --smoke
fi

# The OpenTelemetry Java agent the integration tests use (root pom), from Maven Central into bench's own dir.
otel_version=$(sed -n 's:.*<opentelemetry-javaagent.version>\(.*\)</opentelemetry-javaagent.version>.*:\1:p' pom.xml)
mkdir -p bench/target
mvn -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
  -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:${otel_version}" \
  -DoutputDirectory=bench/target -Dmdep.stripVersion=true
if [[ "${1:-}" == --part=* ]]; then
  mvn -B -q -ntp package -DskipTests -pl sample-apps/demo -am
  exec java -Dbench.otelAgent="bench/target/opentelemetry-javaagent.jar" \
    -cp sample-apps/demo/target/app.jar dev.smtpwatch.demo.BenchSuite "$@"
fi
rounds="${1:-9}"
# One build of everything (JMH module included), then throughput against the real Postfix of the integration tests
# (PostfixThroughputBench; skipped with a reason where Postfix is not installed).
rm -f bench/target/postfix-rows.md
mvn -B -q -ntp -Pbench verify -pl bench/jmh,integration-tests -am -Dtest=PostfixThroughputBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dsmtpwatch.it.skipCanarySweep=true -Dbench.postfixRows="$PWD/bench/target/postfix-rows.md" \
  -Dbench.rounds="$rounds" -Dbench.otelAgent="$PWD/bench/target/opentelemetry-javaagent.jar" \
  || echo "bench: the Postfix rows failed (above); the rest is measured without them" >&2
java -jar bench/jmh/target/benchmarks.jar SessionPipelineBenchmark -prof gc -rf text -rff bench/target/jmh.txt
exec java -Dbench.otelAgent="bench/target/opentelemetry-javaagent.jar" -Dbench.otelAgentVersion="${otel_version}" \
  -Dbench.jmh=bench/target/jmh.txt -Dbench.postfixRows=bench/target/postfix-rows.md \
  -cp sample-apps/demo/target/app.jar dev.smtpwatch.demo.BenchSuite "$rounds"
