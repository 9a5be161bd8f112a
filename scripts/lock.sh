#!/usr/bin/env bash
# Regenerates the lock files from pyproject.toml's declared dependencies with pip-tools:
# requirements.txt (running the app) and requirements-dev.txt (tests and tools). Pins
# already in a lock file are kept while they still satisfy pyproject.toml; to move one,
# pass it on: `bash scripts/lock.sh --upgrade-package twilio`.
# pip-tools, not uv: its output is a plain requirements file that the pip of any Python
# 3.11 installs, so the README's two commands need nothing else on a fresh machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tools="${TMPDIR:-/tmp}/callplatform-pip-tools"
[ -x "$tools/bin/pip-compile" ] || { python3 -m venv "$tools" && "$tools/bin/pip" install -q pip-tools; }
export CUSTOM_COMPILE_COMMAND="bash scripts/lock.sh"
common=(--quiet --strip-extras --no-emit-index-url --no-emit-find-links "$@")
"$tools/bin/pip-compile" "${common[@]}" --output-file requirements.txt pyproject.toml
"$tools/bin/pip-compile" "${common[@]}" --extra dev --output-file requirements-dev.txt pyproject.toml
