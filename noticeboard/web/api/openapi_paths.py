"""The OpenAPI document's read operations, parameters and shared responses."""

from __future__ import annotations

from typing import Any

from noticeboard.models import ChangeKind, Channel, Outcome
from noticeboard.web.api.http import MAX_INT, MAX_LIMIT
from noticeboard.web.api.openapi_schemas import Schema, enum, ref

Operation = dict[str, Any]
HEADERS: dict[str, Schema] = {
    "ETag": {"description": "Send it back in If-None-Match: an unchanged answer is a 304."},
    "Cache-Control": {"description": "`public, max-age=60`: reads may be cached a minute."},
    "Link": {"description": 'The next page: `<...>; rel="next"` (lists, when there is one).'},
    "X-Total-Count": {"description": "How many items match, on every page (lists)."},
}


def _header_refs(*names: str) -> dict[str, Schema]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def param(name: str, where: str = "query", **schema: Any) -> Schema:
    description = schema.pop("description", "")
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": {"type": "string"} | schema,
    }


def p(name: str) -> Schema:
    return {"$ref": f"#/components/parameters/{name}"}


PARAMETERS: dict[str, Schema] = {
    "slug": param("slug", "path", type="string", description="The law's slug."),
    "sequence": param(
        "sequence", "path", type="integer", minimum=1, description="Version number, from 1."
    ),
    "office": param("slug", "path", type="string", description="The office's slug."),
    "cursor": param("cursor", type="string", description="`next_cursor` of the previous page."),
    "limit": param(
        "limit", type="integer", minimum=1, maximum=MAX_LIMIT, description="Page size (50)."
    ),
}
INT = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
RESPONSES: dict[str, Schema] = {
    name: {
        "description": text,
        "content": {"application/json": {"schema": ref("Error")}},
    }
    for name, text in {
        "BadRequest": "A parameter cannot be read (`bad_parameter`, `details.parameter`).",
        "Unauthorized": "No token, or an unknown or revoked one (`WWW-Authenticate: Bearer`).",
        "Forbidden": "The token's account may not do this.",
        "NotFound": "No such resource (or not public).",
        "Conflict": "Someone changed the opinion meanwhile, or the decision needs `confirm`.",
        "Unprocessable": "The input was read but is not acceptable; `details` says where.",
        "TooManyRequests": "Rate limit reached; see `Retry-After`.",
    }.items()
}
RESPONSES["NotModified"] = {"description": "Not modified since the ETag sent in If-None-Match."}


def ok(schema: str, description: str, *headers: str) -> Schema:
    return {
        "description": description,
        "headers": _header_refs("ETag", "Cache-Control", *headers),
        "content": {"application/json": {"schema": ref(schema)}},
    }


def read(
    op_id: str,
    summary: str,
    schema: str,
    *,
    tag: str,
    params: list[Schema] | None = None,
    errors: tuple[str, ...] = ("NotFound",),
    description: str = "",
    paged: bool = False,
) -> Operation:
    codes = {"BadRequest": "400", "NotFound": "404", "Unprocessable": "422"}
    responses: dict[str, Schema] = {
        "200": ok(schema, summary, *(("Link", "X-Total-Count") if paged else ())),
        "304": {"$ref": "#/components/responses/NotModified"},
    }
    for name in errors:
        responses[codes[name]] = {"$ref": f"#/components/responses/{name}"}
    responses["429"] = {"$ref": "#/components/responses/TooManyRequests"}
    return {
        "get": {
            "operationId": op_id,
            "tags": [tag],
            "summary": summary,
            "description": description,
            "parameters": params or [],
            "responses": responses,
        }
    }


OPINION_FILTERS = [
    param("law", description="Law slug."),
    param("version", description="Version number (with `law`).", **INT),
    param("article", maxLength=32, description="Stable article key (with `law`)."),
    param("office", description="Office slug (that office only)."),
    param("channel", **enum(Channel)),
    param("outcome", **enum(Outcome)),
    param("received_from", type="string", format="date", description="Received on or after."),
    param("received_to", type="string", format="date", description="Received on or before."),
    param("decided_from", type="string", format="date", description="Decided on or after (UTC)."),
    param("decided_to", type="string", format="date", description="Decided on or before (UTC)."),
]

READ_PATHS: dict[str, Any] = {
    "/": read("index", "The API's name and version", "Index", tag="About", errors=()),
    "/laws": read(
        "listLaws",
        "Laws with at least one published version, by slug, with their versions",
        "LawList",
        tag="Laws",
        errors=(),
    ),
    "/laws/{slug}": read(
        "getLaw",
        "A law and its versions: change counts and opinions received and adopted on each",
        "LawDetail",
        tag="Laws",
        params=[p("slug")],
    ),
    "/laws/{slug}/versions/{sequence}": read(
        "getVersion",
        "A published version with every article and its text",
        "VersionDetail",
        tag="Laws",
        params=[p("slug"), p("sequence")],
    ),
    "/laws/{slug}/compare/{from_seq}...{to_seq}": read(
        "compareVersions",
        "Two published versions compared, in the diff engine's JSON shape",
        "Comparison",
        tag="Laws",
        params=[
            p("slug"),
            param("from_seq", "path", type="integer", minimum=1, description="Older version."),
            param("to_seq", "path", type="integer", minimum=1, description="Newer version."),
        ],
        errors=("NotFound", "Unprocessable"),
        description="`old`, `new` and `changes` are exactly `Comparison.to_dict()`; each "
        "change also has its `id` (for `/laws/{slug}/changes/{id}`).",
    ),
    "/laws/{slug}/changes": read(
        "listChanges",
        "Changes between consecutive published versions, by id",
        "ChangePage",
        tag="Laws",
        params=[
            p("slug"),
            param("version", description="Only changes into this version.", **INT),
            param("kind", **enum(ChangeKind)),
            param("article", maxLength=32, description="Stable article key."),
            p("cursor"),
            p("limit"),
        ],
        errors=("BadRequest", "NotFound", "Unprocessable"),
        paged=True,
    ),
    "/laws/{slug}/changes/{change_id}": read(
        "getChange",
        "One change: both texts, the redline, and the opinions credited with it",
        "ChangeDetail",
        tag="Laws",
        params=[p("slug"), param("change_id", "path", type="integer", minimum=1)],
    ),
    "/opinions": read(
        "listOpinions",
        "Opinions on published versions as the public pages show them, by id",
        "OpinionPage",
        tag="Opinions",
        params=[*OPINION_FILTERS, p("cursor"), p("limit")],
        errors=("BadRequest", "Unprocessable"),
        paged=True,
        description="Never the opinion's own text, the contact or the receipt code; the "
        "contributor's name only with consent. Filters combine with AND.",
    ),
    "/opinions/{opinion_id}": read(
        "getOpinion",
        "One opinion as the public pages show it",
        "Opinion",
        tag="Opinions",
        params=[param("opinion_id", "path", type="integer", minimum=1)],
    ),
    "/offices": read(
        "listOffices",
        "Every office, depth first under its parent, with opinions of its subtree",
        "OfficeList",
        tag="Offices",
        errors=(),
    ),
    "/offices/{slug}": read(
        "getOffice",
        "One office's record (its own opinions and those of the offices below it)",
        "OfficeDetail",
        tag="Offices",
        params=[p("office")],
    ),
    "/boards/{slug}": read(
        "getBoard",
        "An office's noticeboard, as the kiosk screens poll it",
        "Board",
        tag="Offices",
        params=[
            p("office"),
            param("lang", description="`zh` or `en`; else the browser's language."),
            param("law", description="Only this law (slug)."),
        ],
    ),
    "/stats": read(
        "getStats",
        "Opinions per law, office, channel and outcome; adoption over time",
        "Stats",
        tag="Statistics",
        errors=(),
    ),
}
