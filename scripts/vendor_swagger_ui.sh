#!/usr/bin/env bash
# Refreshes the vendored Swagger UI (callplatform/api/swagger_ui) from npm's swagger-ui-dist.
# Usage: scripts/vendor_swagger_ui.sh 5.35.0   (then set SWAGGER_UI_VERSION in api/docs.py)
set -euo pipefail
version="${1:?version}"
dest="$(cd "$(dirname "$0")/.." && pwd)/callplatform/api/swagger_ui"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "swagger-ui-dist@$version" >/dev/null && tar xzf ./*.tgz)
cp "$tmp"/package/{swagger-ui-bundle.js,swagger-ui.css,LICENSE,NOTICE} "$dest"/
echo "Swagger UI $version vendored into $dest"
