#!/usr/bin/env bash
# Makes sure both Docker engines answer: the machine's own (left alone when it runs; otherwise
# installed from Debian's docker.io and started through systemd where systemd runs the machine,
# else in the background in a session of its own), and the engine Drydock owns beside it, whose
# containers run in a user namespace (root in a lab host is an unprivileged uid on the machine).
# docs/operators.md, "The engine Drydock owns", explains the second one.
set -euo pipefail
log=${DRYDOCK_ENGINE_LOG:-/var/log/drydock-dockerd.log}
# Where the machine's dockerd writes its pid (its default).
machine_pidfile=${DRYDOCK_MACHINE_ENGINE_PIDFILE:-/var/run/docker.pid}
# Drydock's engine: its own socket, storage and state, so the machine's engine and whatever runs
# on it are untouched. The default of DRYDOCK_DOCKER_HOST is this socket.
own_socket=${DRYDOCK_ENGINE_SOCKET:-/run/drydock/docker.sock}
own_root=${DRYDOCK_ENGINE_ROOT:-/var/lib/drydock-engine}
own_run=${DRYDOCK_ENGINE_RUN:-/run/drydock/engine}
own_log=${DRYDOCK_ENGINE_OWN_LOG:-/var/log/drydock-engine.log}
# Its bridge for the platform's own containers (the mirror, one-shots). Neither the machine's
# engine's ranges (172.16.0.0/12, 192.168.0.0/16) nor the session networks (10.213.0.0/16).
own_bridge=drydock0
own_bridge_cidr=${DRYDOCK_ENGINE_BRIDGE_CIDR:-10.214.0.1/24}
own_pool=${DRYDOCK_ENGINE_ADDRESS_POOL:-10.214.0.0/16}

answers() { DOCKER_HOST=$1 docker info >/dev/null 2>&1; }

wait_for() { # SOCKET LOGFILE
  for _ in $(seq 1 60); do
    if answers "$1"; then return 0; fi
    sleep 0.5
  done
  echo "the engine at $1 did not answer within 30s; its log ends with:" >&2
  if [ -f "$2" ]; then tail -n 20 "$2" >&2; else journalctl -u docker -n 20 --no-pager >&2 || true; fi
  exit 1
}

# An engine that is still stopping keeps its pid file until it exits, and a new dockerd refuses to
# start while the file names a live process ("pid file found"): wait for it.
wait_stopped() { # PIDFILE NAME
  local pid
  pid=$(cat "$1" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "Waiting for $2 (pid $pid) to finish stopping..."
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    echo "$2 (pid $pid) is still stopping after 30s; stop it (kill $pid) and run this script again." >&2
    exit 1
  fi
}

if answers unix:///var/run/docker.sock && answers "unix://$own_socket"; then exit 0; fi

if [ "$(id -u)" -ne 0 ]; then
  echo "No Docker engine answers (at /var/run/docker.sock and $own_socket), and starting one needs root." >&2
  echo "Run this script as root (sudo bash scripts/engine.sh), or point DRYDOCK_DOCKER_HOST at an engine." >&2
  exit 1
fi

if ! command -v dockerd >/dev/null; then
  echo "Installing the Docker engine (Debian package docker.io)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

# "offline" (and a failing command) where systemctl exists but systemd is not PID 1, e.g. in a container.
systemd_state() { command -v systemctl >/dev/null && systemctl is-system-running 2>/dev/null || true; }

# setsid: a session and process group of its own, so the Ctrl-C that stops the caller
# (scripts/start.sh in a terminal) does not reach the engine and every container on it.
# A plain `&` leaves it in the caller's group, and dockerd re-enables the SIGINT that a
# non-interactive shell ignores for background jobs.
start_machine_engine() {
  if ! answers unix:///var/run/docker.sock; then
    case "$(systemd_state)" in
      running | degraded | starting)
        echo "Starting the machine's engine with systemd (systemctl start docker)..."
        systemctl start docker
        log="(journalctl -u docker)"
        ;;
      *)
        wait_stopped "$machine_pidfile" "the machine's previous engine"
        echo "Starting the machine's dockerd (log: $log)..."
        setsid dockerd -H unix:///var/run/docker.sock >>"$log" 2>&1 </dev/null &
        ;;
    esac
    wait_for unix:///var/run/docker.sock "$log"
    echo "The machine's Docker engine is ready."
  fi
}

start_own_engine() {
  if ! answers "unix://$own_socket"; then
    # The bridge exists before the engine: dockerd's --bip would name its bridge docker0, the
    # machine engine's.
    if ! ip link show "$own_bridge" >/dev/null 2>&1; then
      ip link add "$own_bridge" type bridge
      ip addr add "$own_bridge_cidr" dev "$own_bridge"
    fi
    ip link set "$own_bridge" up
    # --iptables=false: an engine with iptables removes and rebuilds the DOCKER and
    # DOCKER-ISOLATION chains at every start, which would wipe the machine engine's rules (its
    # published ports, the isolation of its networks). So this engine writes no rules, and these
    # two stand in for it on its own bridge: containers there reach out (the mirror's upstream)
    # and get their answers. Session networks are isolated by the server's firewall
    # (server/sandbox/host-firewall.ts).
    bridge_net=$(ip -4 -o addr show dev "$own_bridge" | awk '{print $4}' | head -n1)
    iptables -w -N DRYDOCK-ENGINE 2>/dev/null || true
    iptables -w -C DRYDOCK-ENGINE -i "$own_bridge" -j ACCEPT 2>/dev/null || iptables -w -A DRYDOCK-ENGINE -i "$own_bridge" -j ACCEPT
    iptables -w -C DRYDOCK-ENGINE -o "$own_bridge" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT 2>/dev/null ||
      iptables -w -A DRYDOCK-ENGINE -o "$own_bridge" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    iptables -w -C FORWARD -j DRYDOCK-ENGINE 2>/dev/null || iptables -w -A FORWARD -j DRYDOCK-ENGINE
    iptables -w -t nat -C POSTROUTING -s "$bridge_net" ! -o "$own_bridge" -j MASQUERADE 2>/dev/null ||
      iptables -w -t nat -A POSTROUTING -s "$bridge_net" ! -o "$own_bridge" -j MASQUERADE

    mkdir -p "$(dirname "$own_socket")" "$own_root" "$own_run"
    wait_stopped "$own_run/dockerd.pid" "Drydock's previous engine"
    echo "Starting Drydock's engine, user-namespaced (socket $own_socket, log: $own_log)..."
    # --userns-remap=default makes the user dockremap and its subordinate ids (/etc/subuid) at
    # the first start. --cgroup-parent keeps its containers' cgroups apart from the machine engine's.
    setsid dockerd \
      -H "unix://$own_socket" \
      --data-root "$own_root" \
      --exec-root "$own_run" \
      --pidfile "$own_run/dockerd.pid" \
      --userns-remap=default \
      --iptables=false \
      --bridge "$own_bridge" \
      --default-address-pool "base=$own_pool,size=24" \
      --cgroup-parent drydock \
      >>"$own_log" 2>&1 </dev/null &
    wait_for "unix://$own_socket" "$own_log"
    echo "Drydock's engine is ready."
  fi
}

# Drydock's engine first: a dockerd started with a bridge of its own deletes an existing docker0
# (seen with 20.10), the machine engine's default bridge, and every container on it loses its
# network. Started second, the machine's engine makes docker0 again.
# A docker0 left by an engine that is not running does not matter: the machine's engine makes it
# again when it starts below.
machine_had_docker0=no
if answers unix:///var/run/docker.sock && ip link show docker0 >/dev/null 2>&1; then machine_had_docker0=yes; fi
start_own_engine
if [ "$machine_had_docker0" = yes ] && ! ip link show docker0 >/dev/null 2>&1; then
  # The machine's engine was already running: only its restart makes docker0 again.
  echo "Starting Drydock's engine removed the machine engine's docker0 bridge; restarting the machine's engine to restore it..." >&2
  case "$(systemd_state)" in
    running | degraded | starting) systemctl stop docker ;;
    *)
      kill "$(cat "$machine_pidfile" 2>/dev/null)" 2>/dev/null || true
      # Gone before it is started again: while it stops it may still answer.
      wait_stopped "$machine_pidfile" "the machine's engine"
      ;;
  esac
fi
start_machine_engine
