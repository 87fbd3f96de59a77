"""The API described: ``/api/v1/openapi.json`` (OpenAPI 3.1) and ``/api/v1/docs``, a page
for people rendered on the server from that same document (no script, no CDN)."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Response, render_template

from noticeboard.version import __version__
from noticeboard.web.api.docs_view import operations, prose, schema_rows, type_name
from noticeboard.web.api.http import EXPOSED, bp, json_response
from noticeboard.web.api.openapi_paths import HEADERS, PARAMETERS, READ_PATHS, RESPONSES, read
from noticeboard.web.api.openapi_schemas import SCHEMAS
from noticeboard.web.api.openapi_writes import WRITE_PATHS, WRITE_SCHEMAS

DESCRIPTION = """\
Everything Noticeboard publishes, as JSON: laws and their published versions with every
article, comparisons between versions (the diff engine's shape), the changes and the
opinions credited with them, opinions as the public pages show them, offices, boards and
statistics.

**Reading** needs no account. Answers carry `ETag` (send it back in `If-None-Match` for a
`304`) and `Cache-Control`; any origin may read them (CORS). Lists are ordered by id and
paged with an opaque `cursor` (`next_cursor` in the body, and a `Link: rel="next"`
header); `limit` is 1 to 200.

**Recording** opinions and decisions needs an API token made by a staff member under
*Staff area → API tokens*: send `Authorization: Bearer <token>`. A token acts as its
owner, with the owner's role and offices; checks and the audit trail are those of the
staff forms.

**Errors** have one shape: `{"error": {"code", "message", "details"?}}`, with the
message in the request's language (`Accept-Language`, `?lang=`).

Open data files (CSV, JSON) and Atom feeds: see `/open-data`.
"""


def _document_paths() -> dict[str, Any]:
    paths = {path: dict(item) for path, item in READ_PATHS.items()}
    for path, item in WRITE_PATHS.items():
        paths.setdefault(path, {}).update(item)
    paths["/openapi.json"] = read(
        "openapi", "This document", "OpenApiDocument", tag="About", errors=()
    )
    paths["/docs"] = {
        "get": {
            "operationId": "docs",
            "tags": ["About"],
            "summary": "This document as a page for people",
            "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}},
        }
    }
    return paths


@cache
def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Noticeboard open data API",
            "version": __version__,
            "description": DESCRIPTION,
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": "/api/v1"}],
        "tags": [
            {"name": "Laws", "description": "Laws, versions, comparisons and changes."},
            {"name": "Opinions", "description": "Opinions as the public pages show them."},
            {"name": "Offices", "description": "Outreach offices and their boards."},
            {"name": "Statistics"},
            {"name": "Recording (API token)", "description": "Other systems write here."},
            {"name": "About"},
        ],
        "paths": _document_paths(),
        "components": {
            "schemas": SCHEMAS
            | WRITE_SCHEMAS
            | {"OpenApiDocument": {"type": "object", "required": ["openapi", "paths"]}},
            "parameters": PARAMETERS,
            "responses": RESPONSES,
            "headers": {
                name: {"description": text["description"], "schema": {"type": "string"}}
                for name, text in HEADERS.items()
            },
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A staff member's API token (`nbt_...`).",
                }
            },
        },
        "x-exposed-headers": EXPOSED,
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    return json_response(openapi_document(), max_age=3600)


@bp.get("/docs")
def docs() -> str:
    document = openapi_document()
    return render_template(
        "api/docs.html",
        document=document,
        groups=operations(document),
        schema_rows=schema_rows,
        type_name=type_name,
        prose=prose,
    )
