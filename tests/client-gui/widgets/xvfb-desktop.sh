# Sourced by the scripts that drive the real parley-client under Xvfb
# (keyboard-xvfb-test, scripts/client-screenshots): a private X display with openbox,
# a parley-server on a free 127.0.0.1 port, and the waits they need. Everything started
# is remembered in `pids` and stopped (by pid) at exit with the work folder removed.
#
# The sourcing script sets `display` (":93") and `work_prefix` first; `fail REASON`
# prints the reason and the tails of the logs in $work, and exits 1.

work=$(mktemp -d "${TMPDIR:-/tmp}/${work_prefix:-parley-xvfb}.XXXXXX")
pids=()

fail() {
  echo "FAIL: $*" >&2
  for log in "$work"/*.log; do
    [ -e "$log" ] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }
  done
  exit 1
}

stop_everything() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop_everything EXIT
trap 'fail "a step failed (line $LINENO)"' ERR

# require TOOL...: a missing tool is a failure, never a skip.
require() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || fail "$tool is missing (./scripts/setup installs it)"
  done
}

# until_ok SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds or time is up.
until_ok() {
  local limit=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$limit" ] || return 1
    sleep 0.1
  done
}

# window SECONDS TITLE_REGEX: the id of the visible window with that title, once it is
# there. Polled rather than `xdotool search --sync`, which dies on a BadWindow when
# another window (the login window, a tray icon) goes away during the search.
window() {
  local limit=$(( $(date +%s) + $1 )) id
  while :; do
    id=$(xdotool search --onlyvisible --name "$2" 2>/dev/null | head -n 1) || true
    [ -n "$id" ] && { echo "$id"; return 0; }
    [ "$(date +%s)" -lt "$limit" ] || return 1
    sleep 0.1
  done
}

# start_desktop: Xvfb on $display (1280x800) with openbox; exports DISPLAY.
start_desktop() {
  require Xvfb openbox xdotool xdpyinfo xprop
  # Another X server on the display would answer in our place: refuse to start.
  local lock="/tmp/.X${display#:}-lock"
  if [ -e "$lock" ] && kill -0 "$(tr -d ' ' <"$lock")" 2>/dev/null; then
    fail "display $display is in use by another X server (pid $(tr -d ' ' <"$lock"))"
  fi
  # -noreset: a server resets (and refuses connections for a moment) when its last
  # client leaves, here the xdpyinfo that saw it up.
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
  pids+=($!)
  until_ok 15 xdpyinfo -display "$display" || fail "Xvfb $display did not start"
  export DISPLAY="$display"
  openbox >"$work/openbox.log" 2>&1 &
  pids+=($!)
  # openbox owns the screen once it sets _NET_SUPPORTING_WM_CHECK on the root window.
  until_ok 15 sh -c 'xprop -root _NET_SUPPORTING_WM_CHECK | grep -q "window id"' || fail "openbox did not start"
}

# start_server PARLEY_SERVER: a headless server on a free port with a fresh SQLite file;
# sets `address` (127.0.0.1:PORT).
start_server() {
  # --plaintext until the desktop client speaks TLS (issue 18's client part).
  "$1" --headless --plaintext --listen 127.0.0.1:0 --db "sqlite:$work/parley.db" --hash-iterations 1000 \
    --registrations-per-hour 0 --stats-every 0 >"$work/server.log" 2>&1 &
  pids+=($!)
  until_ok 20 grep -q "ready on port" "$work/server.log" || fail "parley-server did not start"
  address="127.0.0.1:$(sed -n 's/.*ready on port \([0-9]*\).*/\1/p' "$work/server.log" | head -n 1)"
}
