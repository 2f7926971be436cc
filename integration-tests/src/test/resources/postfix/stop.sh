#!/bin/sh
# Stop the private Postfix + Dovecot started by start.sh WORKDIR: kills exactly the recorded master PIDs
# (never by name) and waits until they and their children are gone.
#
# Usage: stop.sh WORKDIR
#        stop.sh --watch PID WORKDIR   (internal: watchdog started by start.sh; stops once PID has exited)
set -u

if [ "${1:-}" = "--watch" ]; then
  WATCHED=$2; W=$3
  echo $$ > "$W/watchdog.pid"
  while kill -0 "$WATCHED" 2>/dev/null; do sleep 1; done
  rm -f "$W/watchdog.pid"
  exec sh "$0" "$W"
fi

[ $# -ge 1 ] || { echo "usage: stop.sh WORKDIR" >&2; exit 2; }
[ -d "$1" ] || exit 0
W=$(cd "$1" && pwd -P)

# pid of a recorded daemon if it is still running that binary, else empty
live_pid() { # pidfile expected-exe
  [ -s "$1" ] || return 0
  p=$(tr -dc '0-9' < "$1")
  [ -n "$p" ] || return 0
  exe=$(readlink "/proc/$p/exe" 2>/dev/null) || return 0
  [ "$exe" = "$2" ] && echo "$p"
  return 0
}
# processes still in session $1 (both masters call setsid(), so their children share the session id)
session_alive() {
  [ -n "$1" ] || return 1
  [ -n "$(ps -o pid= -s "$1" 2>/dev/null)" ]
}

# The watchdog (if any) first, so it does not race with us. It is a session leader (setsid).
if [ -s "$W/watchdog.pid" ]; then
  wd=$(tr -dc '0-9' < "$W/watchdog.pid")
  rm -f "$W/watchdog.pid"
  # only if that PID still is our watchdog (its command line names this WORKDIR)
  if [ -n "$wd" ] && [ "$wd" != "$$" ] && tr '\0' ' ' < "/proc/$wd/cmdline" 2>/dev/null | grep -qF -- "--watch"; then
    if tr '\0' ' ' < "/proc/$wd/cmdline" | grep -qF -- "$W"; then
      kill -TERM "-$wd" 2>/dev/null  # dash: no "--" before a negative PID (process group)
    fi
  fi
fi

pf=$(live_pid "$W/postfix.pid" /usr/lib/postfix/sbin/master)
dc=$(live_pid "$W/dovecot.pid" /usr/sbin/dovecot)
[ -n "$pf" ] && kill -TERM "$pf" 2>/dev/null
[ -n "$dc" ] && kill -TERM "$dc" 2>/dev/null

i=0
while session_alive "$pf" || session_alive "$dc"; do
  i=$((i + 1))
  if [ $i -eq 100 ]; then  # 10 s: force
    for s in $pf $dc; do
      for p in $(ps -o pid= -s "$s" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    done
  fi
  [ $i -le 150 ] || { echo "stop.sh: processes of session $pf $dc still alive" >&2; exit 1; }
  sleep 0.1
done
rm -f "$W/postfix.pid" "$W/dovecot.pid"
exit 0
