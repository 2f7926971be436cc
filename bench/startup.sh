#!/usr/bin/env bash
# Start-up to the first mail with and without the agent (see StartupBenchmark). Usage: bench/startup.sh [runs] [app]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q install -DskipTests
exec java -cp sample-apps/demo/target/app.jar dev.smtpwatch.demo.StartupBenchmark "${1:-15}" "${2:-angus-mail}"
