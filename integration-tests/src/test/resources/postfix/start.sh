#!/bin/sh
# Start a PRIVATE Postfix instance plus Dovecot (SASL only) on 127.0.0.1, everything under WORKDIR.
# Never touches /etc/postfix or the system Dovecot. Needs root (Postfix master and Dovecot drop privileges).
#
# Usage: start.sh WORKDIR
# Environment:
#   SMTPWATCH_SASL_PASSWORD  password of the SASL user (required; no ':' and no control characters)
#   SMTPWATCH_SASL_USER      SASL user name (default smtpwatch)
#   PORT_SUBMISSION   STARTTLS required, AUTH only after TLS           (default 10587)
#   PORT_IMPLICIT     implicit TLS (wrapper mode) with AUTH              (default 10465)
#   PORT_LEGACY       STARTTLS optional, AUTH allowed in plaintext       (default 10025)
#   PORT_NOTLS        no TLS at all, AUTH in plaintext                   (default 10026)
#   PORT_WRONGHOST    like submission, certificate for wrong.example     (default 10588)
#   PORT_EXPIRED      like submission, expired certificate               (default 10589)
#   WATCH_PID         optional: a watchdog stops everything once this process is gone (e.g. the test JVM)
#   KEYTOOL           keytool binary (default: $JAVA_HOME/bin/keytool, else keytool on PATH)
#
# Produces in WORKDIR: tls/ca.crt, tls/truststore.p12 (PKCS12, password changeit), maillog (Postfix log),
# mail/sink.mbox (every accepted message), postfix.pid, dovecot.pid, dovecot.log.
# Stop with stop.sh WORKDIR (kills exactly the recorded PIDs).
set -eu

die() { echo "start.sh: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: start.sh WORKDIR"
[ "$(id -u)" = 0 ] || die "must run as root"
for b in /usr/sbin/postfix /usr/sbin/postconf /usr/sbin/dovecot /usr/lib/postfix/sbin/master; do
  [ -x "$b" ] || die "$b not found (run .ci/install-postfix.sh)"
done
command -v openssl >/dev/null 2>&1 || die "openssl not found"

HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
W=$(cd "$1" && pwd -P)
case "$W" in *[!A-Za-z0-9/._+-]*) die "WORKDIR must not contain spaces or special characters: $W";; esac

USER_NAME=${SMTPWATCH_SASL_USER:-smtpwatch}
PASSWORD=${SMTPWATCH_SASL_PASSWORD:-}
[ -n "$PASSWORD" ] || die "SMTPWATCH_SASL_PASSWORD is not set"
case "$PASSWORD" in *:*) die "password must not contain ':'";; esac
case "$USER_NAME" in *[!A-Za-z0-9._@-]*) die "bad user name";; esac

P_SUBMISSION=${PORT_SUBMISSION:-10587}
P_IMPLICIT=${PORT_IMPLICIT:-10465}
P_LEGACY=${PORT_LEGACY:-10025}
P_NOTLS=${PORT_NOTLS:-10026}
P_WRONGHOST=${PORT_WRONGHOST:-10588}
P_EXPIRED=${PORT_EXPIRED:-10589}
for p in "$P_SUBMISSION" "$P_IMPLICIT" "$P_LEGACY" "$P_NOTLS" "$P_WRONGHOST" "$P_EXPIRED"; do
  case "$p" in ''|*[!0-9]*) die "bad port: '$p'";; esac
done

# A previous instance in the same WORKDIR is stopped first (idempotent restart).
sh "$HERE/stop.sh" "$W" >/dev/null 2>&1 || true

# The Postfix and Dovecot daemons (users postfix, dovecot, nobody) must be able to traverse WORKDIR.
chmod 755 "$W"
mkdir -p "$W/etc" "$W/spool" "$W/data" "$W/mail" "$W/tls" "$W/dovecot/run" "$W/dovecot/state"
chown postfix:postfix "$W/data"
chown 65534:65534 "$W/mail"
chmod 755 "$W/mail"

if command -v setpriv >/dev/null 2>&1; then
  setpriv --reuid=postfix --regid=postfix --clear-groups test -x "$W/data" \
    || die "user postfix cannot reach $W (a parent directory is not world-executable?)"
fi

# ---------------------------------------------------------------------------------------------------------
# Certificates (generated once per WORKDIR): CA, localhost, wrong.example, expired localhost; PKCS12 trust store.
T="$W/tls"
if [ ! -s "$T/truststore.p12" ] || [ ! -s "$T/expired-chain.pem" ]; then
  (
    cd "$T"
    rm -rf ca-db && mkdir ca-db && : > ca-db/index.txt && echo 1000 > ca-db/serial
    EC="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
    openssl req -x509 $EC -keyout ca.key -out ca.crt -days 3650 -subj "/CN=smtpwatch test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    cat > ca.cnf <<CNF
[ ca ]
default_ca = testca
[ testca ]
dir = $T/ca-db
database = \$dir/index.txt
new_certs_dir = \$dir
serial = \$dir/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
[ localhost ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
[ wrong ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
CNF
    # name  cn  extensions  start  end
    sign() {
      openssl req -new $EC -keyout "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
      openssl ca -batch -notext -config ca.cnf -cert ca.crt -keyfile ca.key -in "$1.csr" -out "$1.crt" \
        -extensions "$3" -startdate "$4" -enddate "$5" 2>/dev/null
      cat "$1.crt" ca.crt > "$1-chain.pem"
      chmod 600 "$1.key"
    }
    sign server localhost localhost "$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)" "$(date -u -d '+3650 days' +%Y%m%d%H%M%SZ)"
    sign wrong wrong.example wrong "$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)" "$(date -u -d '+3650 days' +%Y%m%d%H%M%SZ)"
    sign expired localhost localhost 20200101000000Z 20200201000000Z
    chmod 600 ca.key
    KT=${KEYTOOL:-}
    if [ -z "$KT" ]; then
      if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/keytool" ]; then KT="$JAVA_HOME/bin/keytool"; else KT=keytool; fi
    fi
    rm -f truststore.p12
    "$KT" -importcert -noprompt -storetype PKCS12 -keystore truststore.p12 -storepass changeit \
      -alias smtpwatch-test-ca -file ca.crt >/dev/null 2>&1 || { echo "keytool -importcert failed" >&2; exit 1; }
  ) || die "certificate generation failed"
fi

# ---------------------------------------------------------------------------------------------------------
# Dovecot: SASL authentication only, socket inside Postfix's private/ queue directory.
printf '%s:{PLAIN}%s\n' "$USER_NAME" "$PASSWORD" > "$W/dovecot/passwd"
chown root:dovecot "$W/dovecot/passwd"
chmod 640 "$W/dovecot/passwd"
cat > "$W/dovecot.conf" <<CONF
protocols = none
base_dir = $W/dovecot/run
state_dir = $W/dovecot/state
log_path = $W/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# no 2 s penalty on a failed AUTH (tests of wrong passwords)
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $W/dovecot/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=/nonexistent
}
service auth {
  unix_listener $W/spool/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
CONF

# ---------------------------------------------------------------------------------------------------------
# Postfix configuration.
C="$W/etc"
cat > "$C/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $W/spool
data_directory = $W/data
mail_owner = postfix
setgid_group = postdrop
myhostname = localhost
mydomain = localdomain
myorigin = \$myhostname
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
relay_domains =
alias_maps =
alias_database =
local_recipient_maps =
biff = no
readme_directory = no
# Everything accepted goes into ONE local mailbox file; nothing is ever relayed.
default_transport = error:5.7.1 smtpwatch test server never relays
relay_transport = error:5.7.1 smtpwatch test server never relays
virtual_mailbox_domains = static:all
virtual_mailbox_base = $W/mail
virtual_mailbox_maps = static:sink.mbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
# Logging without syslog.
maillog_file = $W/maillog
maillog_file_prefixes = $W
smtpd_client_port_logging = yes
smtpd_banner = \$myhostname ESMTP smtpwatch test Postfix
# TLS (per-listener policy in master.cf).
smtpd_tls_cert_file = $W/tls/server-chain.pem
smtpd_tls_key_file = $W/tls/server.key
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
tls_random_source = dev:/dev/urandom
# SASL through Dovecot (enabled per listener).
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_sasl_auth_enable = no
smtpd_sasl_security_options = noanonymous
smtpd_sasl_tls_security_options = noanonymous
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = check_recipient_access texthash:$C/recipient_access
# Fast tests.
smtpd_error_sleep_time = 0s
service_throttle_time = 2s
smtpd_timeout = 60s
delay_warning_time = 0h
CONF

printf '%s\n' 'reject@example.org 550 5.1.1 rejected by the smtpwatch test server' \
  > "$C/recipient_access"

listener() { # port name options...
  port=$1; name=$2; shift 2
  printf '127.0.0.1:%s inet n - n - - smtpd\n  -o syslog_name=postfix/%s\n' "$port" "$name"
  for o in "$@"; do printf '  -o %s\n' "$o"; done
}
STARTTLS_REQUIRED="smtpd_tls_security_level=encrypt smtpd_tls_auth_only=yes smtpd_sasl_auth_enable=yes smtpd_relay_restrictions=permit_sasl_authenticated,reject"
{
  cat <<'MASTER'
# service type  private unpriv  chroot  wakeup  maxproc command + args
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
MASTER
  # shellcheck disable=SC2086
  listener "$P_SUBMISSION" submission $STARTTLS_REQUIRED
  listener "$P_IMPLICIT" implicit smtpd_tls_wrappermode=yes smtpd_tls_security_level=encrypt \
    smtpd_sasl_auth_enable=yes smtpd_relay_restrictions=permit_sasl_authenticated,reject
  listener "$P_LEGACY" legacy smtpd_tls_security_level=may smtpd_tls_auth_only=no smtpd_sasl_auth_enable=yes \
    smtpd_relay_restrictions=permit_sasl_authenticated,permit_mynetworks,reject
  listener "$P_NOTLS" notls smtpd_tls_security_level=none smtpd_tls_auth_only=no smtpd_sasl_auth_enable=yes \
    smtpd_relay_restrictions=permit_sasl_authenticated,permit_mynetworks,reject
  # shellcheck disable=SC2086
  listener "$P_WRONGHOST" wronghost $STARTTLS_REQUIRED \
    smtpd_tls_cert_file=$W/tls/wrong-chain.pem smtpd_tls_key_file=$W/tls/wrong.key
  # shellcheck disable=SC2086
  listener "$P_EXPIRED" expired $STARTTLS_REQUIRED \
    smtpd_tls_cert_file=$W/tls/expired-chain.pem smtpd_tls_key_file=$W/tls/expired.key
} > "$C/master.cf"

# Postfix's config/table loader (dict_load_file) sleeps in 300 ms steps until a file's mtime is >= 2 s old
# (it guards against half-written files): backdate the fresh files, or every start (and the first smtpd's
# texthash load) waits ~2 s.
touch -d '1 minute ago' "$C/main.cf" "$C/master.cf" "$C/recipient_access"

# ---------------------------------------------------------------------------------------------------------
# Start Dovecot first (an smtpd without the auth socket exits and gets throttled), then Postfix.
# private/ must belong to postfix (master binds its private sockets there as user postfix; a fatal error that
# early goes to syslog only, i.e. nowhere here). Dovecot puts its auth socket in it.
mkdir -p "$W/spool/private"
chown postfix:root "$W/spool/private"
chmod 700 "$W/spool/private"
rm -f "$W/spool/private/auth"
# Dovecot's master keeps its stderr open for good: never hand it our stdout/stderr (a caller reading them to EOF
# would hang), use a file.
/usr/sbin/dovecot -c "$W/dovecot.conf" </dev/null >"$W/dovecot.out" 2>&1 \
  || { cat "$W/dovecot.out" >&2; die "dovecot failed to start (see $W/dovecot.log)"; }
i=0
while [ ! -S "$W/spool/private/auth" ] || [ ! -s "$W/dovecot/run/master.pid" ]; do
  i=$((i + 1)); [ $i -le 100 ] || die "dovecot auth socket did not appear (see $W/dovecot.log)"
  sleep 0.05
done
cp "$W/dovecot/run/master.pid" "$W/dovecot.pid"

/usr/sbin/postfix -c "$C" start </dev/null >"$W/postfix-start.out" 2>&1 \
  || { cat "$W/postfix-start.out" >&2; [ -f "$W/maillog" ] && tail -n 20 "$W/maillog" >&2; die "postfix failed to start"; }
tr -d ' ' < "$W/spool/pid/master.pid" > "$W/postfix.pid"

if [ -n "${WATCH_PID:-}" ]; then
  setsid sh "$HERE/stop.sh" --watch "$WATCH_PID" "$W" </dev/null >/dev/null 2>&1 &
fi
exit 0
