#!/usr/bin/env bash
# A loopback OpenSSH server for the SFTP storage tests.
#
#   tools/services/sshd.sh start <state-dir>   # idempotent; prints the port
#   tools/services/sshd.sh stop  <state-dir>   # idempotent; never leaves this sshd running
#
# After `start`, <state-dir> holds what a client needs:
#   port, user, home         one line each: the listening port on 127.0.0.1, the login, its home
#   known_hosts              the server's ed25519 key as "[127.0.0.1]:PORT ssh-ed25519 ..."
#   client_ed25519           private key authorised for `user` (client_key holds its path)
#   stranger_ed25519         a second private key that is NOT authorised (auth-failure tests)
#   sshd.log                 the server's log (look here when a login fails)
#
# Needs root (it creates the user and runs sshd as root, which sshd's privilege separation
# requires). Recipe and pitfalls: /work/shared/notes/machine-recipes.md §6.
set -euo pipefail

readonly SFTP_USER=synapse-sftp
readonly SSHD=/usr/sbin/sshd # absolute: sshd re-executes itself and refuses a relative path
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=service_lib.sh
source "$here/service_lib.sh"

usage() {
  echo "usage: $0 start|stop <state-dir>" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
action=$1
mkdir -p "$2"
state=$(cd "$2" && pwd) # absolute: sshd_config needs absolute paths
pid_file=$state/sshd.pid

# Succeeds once the server on port $1 answers with its host key (also writes known_hosts).
scan_host_key() {
  local keys
  keys=$(ssh-keyscan -T 2 -p "$1" -t ed25519 127.0.0.1 2>/dev/null) || return 1
  [[ -n $keys ]] || return 1
  printf '%s\n' "$keys" >"$state/known_hosts.new"
  mv "$state/known_hosts.new" "$state/known_hosts"
}

stop() {
  service_stop "$pid_file" "$state/sshd_config"
  echo "sshd stopped ($state)"
}

ensure_user() {
  if ! id "$SFTP_USER" >/dev/null 2>&1; then
    useradd -m -s /bin/bash "$SFTP_USER"
  fi
  # With `UsePAM no` sshd rejects a locked account ('!' password, useradd's default) even for
  # key logins; '*' means "no password" without the lock.
  usermod -p '*' "$SFTP_USER"
  home=$(getent passwd "$SFTP_USER" | cut -d: -f6)
  mkdir -p "$home"
  chown "$SFTP_USER:$SFTP_USER" "$home"
  chmod 755 "$home"
  install -d -m 700 -o "$SFTP_USER" -g "$SFTP_USER" "$home/.ssh"
  local keys=$home/.ssh/authorized_keys
  touch "$keys"
  # Appended, not overwritten: several build trees may each run their own sshd for this user.
  if ! grep -qxF "$(<"$state/client_ed25519.pub")" "$keys"; then
    cat "$state/client_ed25519.pub" >>"$keys"
  fi
  chown "$SFTP_USER:$SFTP_USER" "$keys"
  chmod 600 "$keys"
}

write_config() {
  cat >"$state/sshd_config" <<EOF
Port $1
ListenAddress 127.0.0.1
HostKey $state/host_ed25519
PidFile $pid_file
AllowUsers $SFTP_USER
PermitRootLogin no
PubkeyAuthentication yes
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
X11Forwarding no
AllowTcpForwarding no
LogLevel VERBOSE
Subsystem sftp internal-sftp
ForceCommand internal-sftp
EOF
}

start() {
  [[ $(id -u) -eq 0 ]] || {
    echo "sshd.sh: must run as root (creates user $SFTP_USER, runs sshd)" >&2
    exit 1
  }
  [[ -x $SSHD ]] || {
    echo "sshd.sh: $SSHD not found; install openssh-server (tools/install-deps.sh)" >&2
    exit 1
  }

  local pid
  pid=$(service_pid "$pid_file" "$state/sshd_config")
  if [[ -n $pid && -s $state/port ]] && scan_host_key "$(<"$state/port")"; then
    echo "sshd already running on 127.0.0.1:$(<"$state/port") (pid $pid)"
    return 0
  fi
  stop >/dev/null

  # ed25519 everywhere: old clients sign RSA with SHA-1, which OpenSSH 9 rejects.
  local key
  for key in host_ed25519 client_ed25519 stranger_ed25519; do
    [[ -s $state/$key ]] || ssh-keygen -q -t ed25519 -N '' -C "synapse-test-$key" -f "$state/$key" <<<y >/dev/null
  done
  chmod 600 "$state"/*_ed25519
  echo "$state/client_ed25519" >"$state/client_key"

  ensure_user
  echo "$SFTP_USER" >"$state/user"
  echo "$home" >"$state/home"
  mkdir -p /run/sshd # privilege-separation directory; absent until the package's service ran
  chmod 755 /run/sshd

  # 2222 when free, else the next free one; retried because another process may take the port
  # between the check and sshd's bind.
  local port
  for port in 2222 $(seq 2223 2299) $(shuf -i 20000-60000 -n 20); do
    port_in_use "$port" && continue
    write_config "$port"
    "$SSHD" -t -f "$state/sshd_config"
    rm -f "$state/known_hosts" "$pid_file"
    # Daemon mode: sshd closes our stdout/stderr, so ctest does not wait on them; -E keeps the
    # log in the state folder instead of syslog.
    "$SSHD" -f "$state/sshd_config" -E "$state/sshd.log"
    for _ in $(seq 50); do
      if [[ -n $(service_pid "$pid_file" "$state/sshd_config") ]] && scan_host_key "$port"; then
        echo "$port" >"$state/port"
        echo "sshd running on 127.0.0.1:$port (pid $(<"$pid_file"), state $state)"
        return 0
      fi
      sleep 0.2
    done
    stop >/dev/null
  done
  echo "sshd.sh: could not start sshd; log:" >&2
  tail -n 20 "$state/sshd.log" >&2 || true
  exit 1
}

case $action in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
