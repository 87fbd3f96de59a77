"""Which comparisons are stored, and when: consecutive versions when one is saved,
consecutive public versions when one is published or withdrawn; any other pair is
computed for its reader and never stored."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from noticeboard.diffing import compare_texts
from noticeboard.models import DraftVersion, VersionComparison
from noticeboard.services.laws.comparisons import stored_between
from noticeboard.services.laws.pairs import (
    change_touching,
    changes_to_read,
    comparison_to_read,
    is_stored,
)
from noticeboard.services.laws.versions import add_version, publish_version, withdraw_version
from noticeboard.services.permissions import SYSTEM
from tests import factories

V1 = "第一条 为了保护环境，制定本法。\n第二条 由县级人民政府负责。\n"
V2 = "第一条 为了保护环境，制定本法。\n第二条 由市级人民政府负责。\n第三条 新增一条。\n"
V3 = "第一条 为了保护环境，制定本法。\n第二条 由省级人民政府负责。\n第三条 新增一条。\n"


def _pairs(session: Session) -> set[tuple[int, int]]:
    rows = session.execute(
        select(VersionComparison.from_version_id, VersionComparison.to_version_id)
    )
    sequence = dict(session.execute(select(DraftVersion.id, DraftVersion.sequence)).all())
    return {(sequence[a], sequence[b]) for a, b in rows}


def _untouched(session: Session) -> bool:
    return not session.new and not session.dirty and not session.deleted


def test_publishing_across_a_draft_stores_the_public_neighbours(db_session: Session) -> None:
    law = factories.make_law(db_session)
    add_version(db_session, SYSTEM, law, label="一", source_text=V1, publish=True)
    draft = add_version(db_session, SYSTEM, law, label="二", source_text=V2)
    third = add_version(db_session, SYSTEM, law, label="三", source_text=V3)
    assert _pairs(db_session) == {(1, 2), (2, 3)}  # saved: consecutive versions only
    publish_version(db_session, SYSTEM, third, force=True)
    # Published with a draft before it: 1 and 3 are neighbours on the public timeline.
    assert _pairs(db_session) == {(1, 2), (2, 3), (1, 3)}
    publish_version(db_session, SYSTEM, draft, force=True)
    assert _pairs(db_session) == {(1, 2), (2, 3), (1, 3)}


def test_withdrawing_stores_the_pair_it_makes_neighbours(db_session: Session) -> None:
    law = factories.make_law(db_session)
    for label, text in (("一", V1), ("二", V2), ("三", V3)):
        add_version(db_session, SYSTEM, law, label=label, source_text=text, publish=True)
    assert _pairs(db_session) == {(1, 2), (2, 3)}
    second = db_session.scalars(select(DraftVersion).where(DraftVersion.sequence == 2)).one()
    withdraw_version(db_session, SYSTEM, second, reason="误发")
    assert _pairs(db_session) == {(1, 2), (2, 3), (1, 3)}


def test_a_pair_nobody_stored_is_computed_without_writing(db_session: Session) -> None:
    law = factories.make_law(db_session)
    versions = [
        add_version(db_session, SYSTEM, law, label=label, source_text=text, publish=True)
        for label, text in (("一", V1), ("二", V2), ("三", V3))
    ]
    db_session.commit()
    first, _, third = versions
    read = comparison_to_read(db_session, first, third)
    assert not is_stored(read)
    assert _untouched(db_session)
    assert stored_between(db_session, first, third) is None
    assert db_session.scalar(select(func.count()).select_from(VersionComparison)) == 2
    expected = compare_texts(V1, V3)
    assert read.counts == expected.counts()
    changes = changes_to_read(db_session, read)
    assert [c.kind.value for c in changes] == [c.kind.value for c in expected.changes]
    assert all(c.id is None for c in changes)
    article = third.articles[1]
    touching = change_touching(db_session, read, article, "new")
    assert touching is not None
    assert touching.new_positions == [1]
    assert touching.kind.value == "modified"
    assert _untouched(db_session)

    # A stored pair reads from its rows, the same changes with their ids.
    stored = comparison_to_read(db_session, versions[1], third)
    assert is_stored(stored)
    assert all(c.id is not None for c in changes_to_read(db_session, stored))
    found = change_touching(db_session, stored, article, "new")
    assert found is not None
    assert found.id is not None
