#!/usr/bin/env bash
# Installs Stoplight Prism (the OpenAPI mock server the contract tests run against)
# into .tools/prism with the venv's Node, so no global npm install is needed.
# Idempotent: does nothing when prism is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="$ROOT/.tools/prism"

if [ -x "$PREFIX/node_modules/.bin/prism" ]; then
  exit 0
fi

# npm's shebang is `/usr/bin/env node`: the venv's bin must come first on PATH.
export PATH="$ROOT/.venv/bin:$PATH"
mkdir -p "$PREFIX"
"$ROOT/.venv/bin/npm" install --prefix "$PREFIX" --no-audit --no-fund "@stoplight/prism-cli@5"
test -x "$PREFIX/node_modules/.bin/prism"
