#!/usr/bin/env bash
# Removes what interrupted test runs left on both engines (the machine's and the one Drydock
# owns): containers, networks and volumes of the throw-away owners tests use (test-*). A server's
# own owner is swept by the server itself, and an owner whose server still runs (its lease
# container is up) is left alone. Also the simulated lab clusters of interrupted cluster tests
# (server/test-support/test-cluster.ts): their node containers, network and routes. A cluster has
# no lease that shows it is in use: run this before a test run (CI does), never during one.
set -euo pipefail
sweep() {
  owners=$( { docker ps -a --filter label=io.drydock.managed=true --format '{{.Label "io.drydock.owner"}}'
              docker network ls --filter label=io.drydock.managed=true --format '{{.Label "io.drydock.owner"}}'
              docker volume ls --filter label=io.drydock.managed=true --format '{{.Label "io.drydock.owner"}}'; } \
            | grep '^test-' | sort -u || true)
  for owner in $owners; do
    if [ "$(docker inspect -f '{{.State.Running}}' "drydock-$owner-lease" 2>/dev/null)" = true ]; then
      echo "left $owner alone: its server is running"
      continue
    fi
    filter="label=io.drydock.owner=$owner"
    docker ps -aq --filter "$filter" | xargs -r docker rm -f -v >/dev/null
    for net in $(docker network ls -q --filter "$filter"); do
      docker network disconnect -f "$net" drydock-mirror >/dev/null 2>&1 || true
      docker network rm "$net" >/dev/null
    done
    docker volume ls -q --filter "$filter" | xargs -r docker volume rm >/dev/null
    echo "removed leftovers of $owner ($DOCKER_HOST)"
  done
}
for engine in unix:///var/run/docker.sock unix:///run/drydock/docker.sock; do
  if DOCKER_HOST=$engine docker info >/dev/null 2>&1; then DOCKER_HOST=$engine sweep; fi
done
# Simulated clusters live on the machine's engine; their nodes' routes go through the cluster network.
if DOCKER_HOST=unix:///var/run/docker.sock docker info >/dev/null 2>&1; then
  export DOCKER_HOST=unix:///var/run/docker.sock
  for net in $(docker network ls -q --filter label=io.drydock.test-cluster); do
    bridge=br-$(docker network inspect -f '{{printf "%.12s" .Id}}' "$net")
    docker ps -aq --filter label=io.drydock.test-cluster --filter "network=$net" | xargs -r docker rm -f -v >/dev/null
    ip route show | awk -v dev="$bridge" '$2 == "via" && $0 ~ "dev " dev { print $1 }' | xargs -r -n1 ip route del 2>/dev/null || true
    docker network rm "$net" >/dev/null
    echo "removed a simulated lab cluster left by an interrupted test ($net)"
  done
  docker ps -aq --filter label=io.drydock.test-cluster | xargs -r docker rm -f -v >/dev/null
fi
