"""Read-only API: laws, versions with their articles, comparisons and changes."""

from __future__ import annotations

from flask import Response

from noticeboard.extensions import db
from noticeboard.models import ChangeKind
from noticeboard.services.open_data.changes import change_detail, list_changes
from noticeboard.services.open_data.texts import (
    comparison_detail,
    law_detail,
    public_laws,
    version_detail,
)
from noticeboard.web.api.http import (
    bp,
    cursor_arg,
    enum_arg,
    int_arg,
    json_response,
    limit_arg,
    page_response,
    str_arg,
)


@bp.get("/laws")
def laws() -> Response:
    return json_response({"items": public_laws(db.session())})


@bp.get("/laws/<slug>")
def law(slug: str) -> Response:
    return json_response(law_detail(db.session(), slug))


@bp.get("/laws/<slug>/versions/<int:sequence>")
def version(slug: str, sequence: int) -> Response:
    return json_response(version_detail(db.session(), slug, sequence))


@bp.get("/laws/<slug>/compare/<int:from_seq>...<int:to_seq>")
def comparison(slug: str, from_seq: int, to_seq: int) -> Response:
    return json_response(comparison_detail(db.session(), slug, from_seq, to_seq))


@bp.get("/laws/<slug>/changes")
def changes(slug: str) -> Response:
    page = list_changes(
        db.session(),
        slug,
        version=int_arg("version"),
        kind=enum_arg("kind", ChangeKind),
        article=str_arg("article", max_length=32),
        after=cursor_arg(),
        limit=limit_arg(),
    )
    return page_response(page, "api.changes", slug=slug)


@bp.get("/laws/<slug>/changes/<int:change_id>")
def change(slug: str, change_id: int) -> Response:
    return json_response(change_detail(db.session(), slug, change_id))
