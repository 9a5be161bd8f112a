"""The API reference page (/api/docs): Swagger UI served from the app itself, so it works
offline and its Content-Security-Policy names no other host.

Swagger UI's files are vendored in `swagger_ui/` (npm `swagger-ui-dist`, the version in
`SWAGGER_UI_VERSION`; refresh with `scripts/vendor_swagger_ui.sh`). The page has no inline
script: `init.js` starts Swagger UI on the OpenAPI document, which the page also links."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

SWAGGER_UI_VERSION = "5.35.0"
ASSETS = Path(__file__).with_name("swagger_ui")
DOCS_PATH = "/api/docs"
ASSETS_PATH = "/api/docs/assets"
OPENAPI_PATH = "/api/openapi.json"
FILES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "init.js": "text/javascript; charset=utf-8",
    "docs.css": "text/css; charset=utf-8",
}

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CallPlatform API reference</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css?v={SWAGGER_UI_VERSION}">
<link rel="stylesheet" href="{ASSETS_PATH}/docs.css">
</head>
<body>
<header class="cp-docs-bar">
<a href="/">CallPlatform</a>
<span>API reference</span>
<a id="openapi-link" href="{OPENAPI_PATH}">OpenAPI document (JSON)</a>
</header>
<div id="swagger-ui" data-openapi="{OPENAPI_PATH}"></div>
<script src="{ASSETS_PATH}/swagger-ui-bundle.js?v={SWAGGER_UI_VERSION}"></script>
<script src="{ASSETS_PATH}/init.js"></script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


@router.get(DOCS_PATH)
def docs_page() -> HTMLResponse:
    return HTMLResponse(PAGE)


@router.get(ASSETS_PATH + "/{name}")
def docs_asset(name: str) -> FileResponse:
    media_type = FILES.get(name)
    if media_type is None:  # only the files listed: never a path from the request
        raise HTTPException(status_code=404)
    return FileResponse(
        ASSETS / name,
        media_type=media_type,
        headers={"cache-control": "public, max-age=86400"},
    )
