#!/usr/bin/env bash
# Makes sure a Docker engine answers: leaves a running one alone, otherwise installs Debian's
# docker.io when dockerd is missing and starts it: through systemd where systemd runs the
# machine, else in the background in a session of its own.
set -euo pipefail
log=${DRYDOCK_ENGINE_LOG:-/var/log/drydock-dockerd.log}

if docker info >/dev/null 2>&1; then exit 0; fi

if [ "$(id -u)" -ne 0 ]; then
  echo "No Docker engine answers, and starting one needs root." >&2
  echo "Run this script as root (sudo bash scripts/engine.sh), or start dockerd yourself, or set DRYDOCK_DOCKER_HOST." >&2
  exit 1
fi

if ! command -v dockerd >/dev/null; then
  echo "Installing the Docker engine (Debian package docker.io)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

# "offline" (and a failing command) where systemctl exists but systemd is not PID 1, e.g. in a container.
systemd_state() { command -v systemctl >/dev/null && systemctl is-system-running 2>/dev/null || true; }

case "$(systemd_state)" in
  running | degraded | starting)
    echo "Starting the engine with systemd (systemctl start docker)..."
    systemctl start docker
    log="(journalctl -u docker)"
    ;;
  *)
    echo "Starting dockerd (log: $log)..."
    # setsid: a session and process group of its own, so the Ctrl-C that stops the caller
    # (scripts/start.sh in a terminal) does not reach the engine and every container on it.
    # A plain `&` leaves it in the caller's group, and dockerd re-enables the SIGINT that a
    # non-interactive shell ignores for background jobs.
    setsid dockerd -H unix:///var/run/docker.sock >>"$log" 2>&1 </dev/null &
    ;;
esac
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then echo "Docker engine ready."; exit 0; fi
  sleep 0.5
done
echo "dockerd did not answer within 30s; its log ends with:" >&2
if [ -f "$log" ]; then tail -n 20 "$log" >&2; else journalctl -u docker -n 20 --no-pager >&2 || true; fi
exit 1
