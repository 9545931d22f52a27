#!/usr/bin/env bash
# Installs what is missing, builds the images (first run only) and starts Drydock.
# Settings: DRYDOCK_* variables (docs/configuration.md), e.g. DRYDOCK_LISTEN_ADDRESS=0.0.0.0.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "Starting Drydock at http://${DRYDOCK_LISTEN_ADDRESS:-127.0.0.1}:${DRYDOCK_PORT:-8080}/ (Ctrl-C stops it and removes every lab host)"
exec npm start --silent
