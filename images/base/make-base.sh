#!/usr/bin/env bash
# Builds the platform's base image from Debian packages when no registry can be reached.
# The result is tagged with the same name as the image a registry would have given, so every
# Dockerfile `FROM` it builds the same way online and offline.
#   usage: make-base.sh IMAGE_TAG SUITE
set -euo pipefail
tag=${1:?image tag, e.g. debian:bookworm-slim}
suite=${2:?Debian suite, e.g. bookworm}

if ! command -v debootstrap >/dev/null; then
  echo "debootstrap is missing: install it with 'apt-get install -y debootstrap' (as root)" >&2
  exit 1
fi

# Use the Debian mirror this machine's apt already trusts, so the base works where only that
# mirror is reachable.
mirror=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d 2>/dev/null \
  | grep -oE 'https?://[^ ]+' | head -n1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

rootfs=$(mktemp -d /tmp/drydock-base.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "debootstrap $suite from $mirror (about a minute)..."
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
  tail -n 20 "$rootfs.log" >&2; exit 1; }
rm -f "$rootfs.log"

# Trim what the slim image does not carry either.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CFG
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CFG'
APT::Install-Recommends "false";
Acquire::Languages "none";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };
CFG

echo "importing as $tag..."
tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' - "$tag" >/dev/null
echo "base image $tag ready"
