#!/usr/bin/env bash
# Runs CallPlatform: installs what is missing, migrates the database, builds the
# frontend and serves everything on one port (APP_PORT, default 3000).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
echo "==> applying database migrations"
reflex db migrate
PORT="${APP_PORT:-3000}"
echo "==> building and starting; CallPlatform will be at http://127.0.0.1:${PORT}/"
exec reflex run --env prod --single-port --frontend-port "$PORT" --backend-port "$PORT"
