#!/usr/bin/env bash
# Everything Drydock needs on a fresh Debian machine: the engine, system packages, npm
# packages, and the platform images with the mirror. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v docker >/dev/null || missing+=(docker.io)
# The compose test (e2e/compose.test.ts) drives compose.yaml; Debian has compose v1 only.
command -v docker-compose >/dev/null || missing+=(docker-compose)
# The end-to-end tests drive Debian's Chromium (no browser download works offline).
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${missing[*]}. Install them as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

bash scripts/engine.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages..."
  npm ci --no-audit --no-fund --loglevel=error
fi

npm run --silent images

# The engine Drydock owns (DRYDOCK_ISOLATION=userns runs lab hosts there) gets the same images:
# a copy of what the machine's engine holds, so `npm run images` finds them current there and
# only seeds that engine's mirror.
own=/run/drydock/docker.sock
images=$(docker image ls --filter label=io.drydock.image-hash --format '{{.Repository}}:{{.Tag}}' | grep -v '<none>' || true)
if [ -n "$images" ]; then
  # shellcheck disable=SC2086 # one image reference a word
  docker save debian:bookworm-slim $images | DOCKER_HOST="unix://$own" docker load -q >/dev/null
fi
DRYDOCK_DOCKER_HOST=$own npm run --silent images
