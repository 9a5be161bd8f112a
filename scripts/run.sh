#!/usr/bin/env bash
# Runs CallPlatform: installs what is missing, migrates the database, builds the
# frontend and serves everything on one port (APP_PORT, default 3000).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec bash scripts/serve.sh
