"""Reading campaigns: the staff lists (paginated, with totals) and the public figures,
which never carry an opinion's text or a sender's name."""

from __future__ import annotations

import random

import pytest
from sqlalchemy.orm import Session

from noticeboard.services.demo.campaigns import campaign_copies
from noticeboard.services.errors import NotFound
from noticeboard.services.triage.campaigns import (
    campaign_figures,
    cluster_member_ids,
    clusters_of_law,
    count_clusters,
    get_cluster,
)
from noticeboard.services.triage.clustering import cluster_pending
from tests import factories
from tests.services.triage.test_clustering import ENGLISH, LETTER


def campaigns(session: Session) -> tuple[int, list[int], list[int], int]:
    """A law with a campaign of 8 (sent to one office) and one of 3."""
    office = factories.make_office(session)
    v = factories.make_version(session)
    big = [
        factories.make_opinion(session, v, text=t, office=office, summary="要求加强平台责任").id
        for t in [LETTER, *campaign_copies(LETTER, 7, random.Random(1))]
    ]
    small = [
        factories.make_opinion(session, v, text=t).id
        for t in [ENGLISH, *campaign_copies(ENGLISH, 2, random.Random(2), language="en")]
    ]
    while cluster_pending(session, v.law_id).processed:
        session.commit()
    return v.law_id, big, small, office.id


def test_clusters_of_law_biggest_first_paginated(db_session: Session) -> None:
    law_id, big, small, _ = campaigns(db_session)
    assert count_clusters(db_session, law_id) == 2
    first, second = clusters_of_law(db_session, law_id)
    assert (first.size, second.size) == (8, 3)
    assert first.representative_id == big[0]
    assert first.representative_text == LETTER[:300]
    assert first.pending == 8
    assert [c.id for c in clusters_of_law(db_session, law_id, limit=1, offset=1)] == [second.id]
    assert clusters_of_law(db_session, law_id, offset=2) == []
    assert cluster_member_ids(db_session, first.id) == big
    assert cluster_member_ids(db_session, second.id) == small
    assert get_cluster(db_session, second.id).size == 3
    with pytest.raises(NotFound):
        get_cluster(db_session, second.id + 1000)


def test_campaign_figures_for_the_public(db_session: Session) -> None:
    law_id, _, _, office_id = campaigns(db_session)
    everywhere = campaign_figures(db_session)
    assert (everywhere.campaigns, everywhere.opinions) == (2, 11)
    assert [c.size for c in everywhere.biggest] == [8, 3]
    assert everywhere.biggest[0].summary == "要求加强平台责任"  # staff's public words
    assert everywhere.biggest[1].summary == ""
    assert LETTER not in repr(everywhere)
    at_office = campaign_figures(db_session, office_id=office_id)
    assert (at_office.campaigns, at_office.opinions) == (1, 8)
    assert campaign_figures(db_session, law_id=law_id + 1000).campaigns == 0
