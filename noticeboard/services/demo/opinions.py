"""Demo opinions: the stories in ``samples/demo-opinions.toml`` and a few hundred
ordinary ones around them (``demo.scale`` writes those, and ``demo --scale N``)."""

from __future__ import annotations

import tomllib
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import (
    Channel,
    CollectionPoint,
    ContributorCategory,
    DraftVersion,
    Law,
    Office,
)
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.demo.scale import consultation_window, generate_opinions, in_window
from noticeboard.services.opinions.queries import version_articles
from noticeboard.services.opinions.recording import (
    OpinionInput,
    record_opinion,
    resolve_articles,
)
from noticeboard.services.permissions import SYSTEM

BACKGROUND = 300  # ordinary opinions around the stories, so lists and counters look lived-in


def add_demo_opinions(session: Session) -> int:
    """Collection points and opinions for the demo laws; returns how many opinions."""
    data = tomllib.loads(
        (resources.files("noticeboard") / "samples" / "demo-opinions.toml").read_text("utf-8")
    )
    offices = {o.slug: o for o in session.scalars(select(Office))}
    points: dict[tuple[str, str], CollectionPoint] = {}
    for spec in data["points"]:
        point = create_collection_point(
            session,
            SYSTEM,
            offices[spec["office"]],
            slug=spec["slug"],
            name=spec["name"],
            name_en=spec["name_en"],
            address=spec["address"],
        )
        points[(spec["office"], spec["slug"])] = point
    for spec in data["opinions"]:
        version = _version(session, spec["law"], spec["version"])
        articles, unknown = resolve_articles(
            version_articles(session, version.id), spec["articles"]
        )
        assert not unknown, (spec["law"], unknown)
        office = offices[spec["office"]] if spec.get("office") else None
        record_opinion(
            session,
            SYSTEM,
            OpinionInput(
                version=version,
                text=spec["text"],
                channel=Channel(spec["channel"]),
                received_on=in_window(consultation_window(session, version), spec.get("day", 0.5)),
                articles=articles,
                office=office,
                collection_point=points[(spec["office"], spec["point"])]
                if spec.get("point")
                else None,
                contributor_name=spec.get("name", ""),
                contributor_category=ContributorCategory(spec["category"]),
                name_public=spec.get("public", False),
                contact=spec.get("contact", ""),
                summary=spec.get("summary", ""),
            ),
        )
    added = sum(generate_opinions(session, SYSTEM, BACKGROUND, seed=2024))
    return len(data["opinions"]) + added


def _version(session: Session, law_slug: str, sequence: int) -> DraftVersion:
    version = session.scalar(
        select(DraftVersion)
        .join(DraftVersion.law)
        .where(Law.slug == law_slug, DraftVersion.sequence == sequence)
    )
    assert version is not None, (law_slug, sequence)
    return version
