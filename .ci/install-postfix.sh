#!/bin/sh
# Idempotent, non-interactive install of what the Postfix/Dovecot integration-test harness needs
# (Debian/Ubuntu, run as root). Quiet on success; non-zero exit with a message on failure.
set -u

PKGS="postfix dovecot-core openssl swaks libnet-ssleay-perl"

fail() { echo "install-postfix.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "must run as root (apt-get install)"
command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: only Debian/Ubuntu are supported"

missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp) || fail "mktemp failed"
trap 'rm -f "$log"' EXIT

# Do not let package scripts start system services (no systemd here; a system Dovecot/Postfix is not wanted).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \
    && created_policy=1
fi

{
  echo "postfix postfix/main_mailer_type select No configuration"
  echo "postfix postfix/mailname string localhost"
} | debconf-set-selections >"$log" 2>&1 || { cat "$log" >&2; fail "debconf-set-selections failed"; }

apt-get update -q >"$log" 2>&1 || { cat "$log" >&2; fail "apt-get update failed"; }
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >"$log" 2>&1 \
  || { tail -n 40 "$log" >&2; fail "apt-get install failed for:$missing"; }

[ "${created_policy:-0}" = 1 ] && rm -f /usr/sbin/policy-rc.d

for b in /usr/sbin/postfix /usr/sbin/postconf /usr/sbin/dovecot /usr/bin/openssl; do
  [ -x "$b" ] || fail "$b missing after install"
done
exit 0
