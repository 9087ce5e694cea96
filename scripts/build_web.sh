#!/usr/bin/env bash
# Builds the web front end into web/dist (served by `motcua serve`): installs
# its npm packages from web/package-lock.json when they are missing or the
# lockfile changed, then runs the build (web/scripts/build.mjs).
set -euo pipefail
cd "$(dirname "$0")/../web"
# Vite 6 and its packages build with Node.js 18 (Debian 12's own) or later;
# only the browser tests (playwright-core) need 20.
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "motcua: the front end builds with Node.js 18 or later (found $(node --version))" >&2
  exit 1
fi
stamp=node_modules/.motcua-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "motcua: installing the front end's npm packages" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" >"$stamp"
fi
npm run --silent build
