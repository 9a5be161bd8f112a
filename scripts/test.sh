#!/usr/bin/env bash
# Runs the whole test suite: lint, unit, service, API, migration, contract (Prism) and
# browser tests, on SQLite and PostgreSQL. Installs whatever is missing first.
set -euo pipefail
REQUIREMENTS=requirements-dev.txt source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
bash scripts/ensure-services.sh
bash scripts/install-prism.sh
echo "==> lint"
ruff check .
echo "==> tests"
exec python -m pytest "$@"
