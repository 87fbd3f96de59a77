"""Read-only API: opinions as the public pages show them, offices and statistics."""

from __future__ import annotations

from typing import Any

from flask import Response

from noticeboard.extensions import db
from noticeboard.models import Channel, Outcome
from noticeboard.services.open_data.opinions import (
    OpinionFilters,
    list_public_opinions,
    public_opinion,
)
from noticeboard.services.public.office_pages import office_directory, office_record
from noticeboard.services.public.stats import public_stats
from noticeboard.web.api.http import (
    bp,
    cursor_arg,
    date_arg,
    enum_arg,
    int_arg,
    json_response,
    limit_arg,
    page_response,
    str_arg,
)


def opinion_filters() -> OpinionFilters:
    return OpinionFilters(
        law=str_arg("law", max_length=100),
        version=int_arg("version"),
        article=str_arg("article", max_length=32),
        office=str_arg("office", max_length=64),
        channel=enum_arg("channel", Channel),
        outcome=enum_arg("outcome", Outcome),
        received_from=date_arg("received_from"),
        received_to=date_arg("received_to"),
        decided_from=date_arg("decided_from"),
        decided_to=date_arg("decided_to"),
    )


@bp.get("/opinions")
def opinions() -> Response:
    page = list_public_opinions(
        db.session(), opinion_filters(), after=cursor_arg(), limit=limit_arg()
    )
    return page_response(page, "api.opinions")


@bp.get("/opinions/<int:opinion_id>")
def opinion(opinion_id: int) -> Response:
    return json_response(public_opinion(db.session(), opinion_id))


def _office(office: Any) -> dict[str, Any]:
    return {
        "slug": office.slug,
        "name": office.name,
        "name_en": office.name_en,
        "tier": office.tier.value,
        "region": office.region,
        "active": office.is_active,
    }


@bp.get("/offices")
def offices() -> Response:
    entries = office_directory(db.session())
    by_id = {entry.office.id: entry.office for entry in entries}
    items = [
        _office(entry.office)
        | {
            "parent": by_id[entry.office.parent_id].slug
            if entry.office.parent_id in by_id
            else None,
            "opinions": entry.opinions,
            "adopted": entry.adopted,
        }
        for entry in entries
    ]
    return json_response({"items": items})


@bp.get("/offices/<slug>")
def office(slug: str) -> Response:
    record = office_record(db.session(), slug)
    body = _office(record.office) | {
        "parent": record.parent.slug if record.parent is not None else None,
        "children": [child.slug for child in record.children],
        "collection_points": [
            {"slug": p.slug, "name": p.name, "name_en": p.name_en, "address": p.address}
            for p in record.points
        ],
        "counters": {
            "laws": record.counters.laws,
            "opinions": record.counters.opinions,
            "adopted": record.counters.adopted,
        },
        "laws": [
            {
                "slug": law.slug,
                "title": law.title,
                "title_en": law.title_en,
                "opinions": law.opinions,
                "decided": law.decided,
                "adopted": law.adopted,
            }
            for law in record.laws
        ],
    }
    return json_response(body)


@bp.get("/stats")
def stats() -> Response:
    figures = public_stats(db.session())
    body = {
        "opinions": figures.total,
        "outcomes": {outcome.value: n for outcome, n in figures.outcomes},
        "channels": {channel.value: n for channel, n in figures.per_channel},
        "laws": [
            {"slug": w.slug, "title": w.title, "opinions": w.opinions, "adopted": w.adopted}
            for w in figures.per_law
        ],
        "offices": [{"slug": o.slug, "opinions": o.opinions} for o in figures.per_office],
        "adoption": [
            {
                "period": _period(p.year, p.part, p.unit),
                "unit": p.unit,
                "decided": p.decided,
                "adopted": p.adopted,
            }
            for p in figures.adoption
        ],
    }
    return json_response(body)


def _period(year: int, part: int, unit: str) -> str:
    if unit == "month":
        return f"{year}-{part:02d}"
    if unit == "quarter":
        return f"{year}-Q{part}"
    return str(year)
