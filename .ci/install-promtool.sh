#!/bin/sh
# Idempotent, non-interactive install of promtool (from Debian's `prometheus` package), which checks and unit-tests
# the alert rules in docs/alerts/ (dev.smtpwatch.it.alerts.AlertRulesTest). Run as root. Quiet on success.
# The package also holds the Prometheus server: its service is not started (policy-rc.d), only promtool is used.
set -u

fail() { echo "install-promtool.sh: $*" >&2; exit 1; }

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
[ "$(id -u)" = 0 ] || fail "must run as root (apt-get install)"
command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: only Debian/Ubuntu are supported"

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp) || fail "mktemp failed"
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  # exit status 101: "action forbidden", so the package's postinst does not start a Prometheus server
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && policy=/usr/sbin/policy-rc.d
fi
trap 'rm -f "$log" $policy' EXIT
apt-get update -q >"$log" 2>&1 || { cat "$log" >&2; fail "apt-get update failed"; }
apt-get install -y -q --no-install-recommends prometheus >"$log" 2>&1 \
  || { tail -n 40 "$log" >&2; fail "apt-get install prometheus failed"; }
command -v promtool >/dev/null 2>&1 || fail "the prometheus package did not install promtool"
