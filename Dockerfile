# syntax=docker/dockerfile:1
#
# Firewatch container image.
#
# NOT BUILT HERE: the machines this project is developed on have no Docker engine (and no image
# registry), so this file has never been built. Its install steps are the ones test/app/package.test.ts
# runs on every `npm test`: `npm pack` → `npm install --omit=dev <tarball>` in an empty folder →
# `firewatch start`. The only difference: here better-sqlite3's installer downloads its prebuilt
# binary (or compiles it with the toolchain of the install stage) instead of using a local prebuild.
#
#   docker build -t firewatch .
#   docker run --init -p 3000:3000 --env-file .env -v firewatch-data:/data firewatch
#
# `--init` (or `init: true` in compose.yaml) gives signals a proper PID 1; SIGTERM stops the bot
# gracefully (requests in flight finish, the database is closed).

ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Build: dev dependencies, TypeScript → dist/, then the package tarball.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
# better-sqlite3 falls back to compiling when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json README.md LICENSE .env.example manifest.yml ./
COPY src ./src
# prepack runs `npm run build` (a clean tsc build); the tarball holds dist/**/*.js only.
RUN mkdir /pkg \
 && npm pack --pack-destination /pkg \
 && mv /pkg/firewatch-*.tgz /pkg/firewatch.tgz

# 2. Install: the tarball with production dependencies only, in an empty folder (as the test does).
FROM ${NODE_IMAGE} AS install
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /pkg/firewatch.tgz /tmp/firewatch.tgz
RUN echo '{ "name": "firewatch-install", "private": true }' > package.json \
 && npm install --omit=dev --no-audit --no-fund /tmp/firewatch.tgz \
 && npm cache clean --force

# 3. Runtime: Node and the installed package, no compiler, no TypeScript, not root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=/data/firewatch.db \
    POSTMORTEM_DIR=/data/postmortems
RUN groupadd --system firewatch \
 && useradd --system --gid firewatch --home-dir /data --shell /usr/sbin/nologin firewatch \
 && mkdir -p /data/postmortems \
 && chown -R firewatch:firewatch /data
COPY --from=install /app /app
WORKDIR /app
USER firewatch
# The SQLite file (with its -wal/-shm) and the compiled postmortems.
VOLUME ["/data"]
EXPOSE 3000
# Liveness (/healthz: 200 when up, also when degraded; 503 when the database fails). Node's fetch,
# since the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/app/node_modules/.bin/firewatch"]
CMD ["start"]
