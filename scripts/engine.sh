#!/usr/bin/env bash
# Makes sure a Docker engine answers: leaves a running one alone, otherwise installs Debian's
# docker.io when dockerd is missing and starts it in the background.
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

echo "Starting dockerd (log: $log)..."
nohup dockerd -H unix:///var/run/docker.sock >>"$log" 2>&1 </dev/null &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then echo "Docker engine ready."; exit 0; fi
  sleep 0.5
done
echo "dockerd did not answer within 30s; its log ends with:" >&2
tail -n 20 "$log" >&2
exit 1
