# shellcheck shell=bash
# Shared by the test-server scripts (s3rver.sh, sshd.sh): find our server by its pid file, stop
# it by pid, test ports. Source it; it defines functions only.

# The pid in pid file $1 when that process is alive and its command line contains $2 (our
# config or data folder), else nothing: a stale pid reused by another process is never signalled.
service_pid() {
  local pid_file=$1 marker=$2 pid
  [[ -s $pid_file ]] || return 0
  pid=$(<"$pid_file")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$marker"; then
    echo "$pid"
  fi
}

# Stops the server of pid file $1 (marker $2): TERM, up to 10 s, then KILL. Checks with
# service_pid, not kill -0: a daemon's parent is init, which may reap it late, and a zombie
# (empty command line) no longer serves.
service_stop() {
  local pid_file=$1 marker=$2 pid
  pid=$(service_pid "$pid_file" "$marker")
  if [[ -n $pid ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
      [[ -n $(service_pid "$pid_file" "$marker") ]] || break
      sleep 0.1
    done
    if [[ -n $(service_pid "$pid_file" "$marker") ]]; then
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
  fi
  rm -f "$pid_file"
}

port_in_use() {
  if command -v ss >/dev/null; then
    [[ -n $(ss -Htln "sport = :$1") ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}
