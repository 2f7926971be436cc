#!/bin/sh
# Idempotent, non-interactive install of Debian's Chromium, which the integration tests run headless to read the
# page of `smtpwatch html` (dev.smtpwatch.it.cli.FleetReviewTest). Run as root. Quiet on success.
set -u

fail() { echo "install-chromium.sh: $*" >&2; exit 1; }

if command -v chromium >/dev/null 2>&1 \
    && dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q 'install ok installed'; then
  exit 0
fi
[ "$(id -u)" = 0 ] || fail "must run as root (apt-get install)"
command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: only Debian/Ubuntu are supported"

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp) || fail "mktemp failed"
trap 'rm -f "$log"' EXIT
apt-get update -q >"$log" 2>&1 || { cat "$log" >&2; fail "apt-get update failed"; }
# fonts-dejavu-core: the page's font, so the screenshot looks the same on every machine
apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >"$log" 2>&1 \
  || { tail -n 40 "$log" >&2; fail "apt-get install chromium failed"; }
