#!/usr/bin/env bash
# Start-up to the first mail with and without the agent, or of an app that sends none (app: no-mail), see
# StartupBenchmark. Usage: bench/startup.sh [runs] [app|no-mail]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q package -DskipTests
exec java -cp sample-apps/demo/target/app.jar dev.smtpwatch.demo.StartupBenchmark "${1:-15}" "${2:-angus-mail}"
