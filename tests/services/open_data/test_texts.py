"""Stored comparisons come out in exactly the engine's JSON shape."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.diffing import compare_texts
from noticeboard.models import VersionComparison
from noticeboard.services.open_data.texts import comparison_dict
from tests import factories
from tests.samples import sample_text


def test_stored_comparison_equals_the_engines_to_dict(db_session: Session) -> None:
    law = factories.make_law(db_session)
    factories.make_version(db_session, law, factories.DRAFT_V1)
    factories.make_version(db_session, law, factories.DRAFT_V2)
    stored = db_session.scalars(select(VersionComparison)).one()
    expected = compare_texts(factories.DRAFT_V1, factories.DRAFT_V2).to_dict()
    assert comparison_dict(db_session, stored) == expected


def test_a_real_revision_round_trips_through_the_database(db_session: Session) -> None:
    old = sample_text("cn/duiwai-maoyifa/2016.txt")
    new = sample_text("cn/duiwai-maoyifa/2022.txt")
    law = factories.make_law(db_session)
    factories.make_version(db_session, law, old)
    factories.make_version(db_session, law, new)
    stored = db_session.scalars(select(VersionComparison)).one()
    assert comparison_dict(db_session, stored) == compare_texts(old, new).to_dict()
