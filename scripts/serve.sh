#!/usr/bin/env bash
# Migrates the database and serves everything on one port (APP_PORT, default 3000): the
# production build under granian, as Reflex's production mode starts it. run.sh calls it
# once the venv is ready (the venv's reflex first on PATH); benchmarks/bench_webhooks.py
# starts the app through it too, so what it measures is the server that ships.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
echo "==> applying database migrations"
reflex db migrate
PORT="${APP_PORT:-3000}"
# Worker processes, with REDIS_URL only (without it each tab's state lives in its one
# process): WORKERS, by default one per core (Reflex's own default is 2 x cores + 1).
if [ -n "${REDIS_URL:-}" ]; then
  export GRANIAN_WORKERS="${WORKERS:-$(nproc)}"
fi
echo "==> building and starting; CallPlatform will be at http://127.0.0.1:${PORT}/"
exec reflex run --env prod --single-port --frontend-port "$PORT" --backend-port "$PORT"
