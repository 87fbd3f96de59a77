"""The campaign section of the public statistics: sizes only, never texts or names."""

from __future__ import annotations

import random

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.services.demo.campaigns import campaign_copies
from noticeboard.services.triage.clustering import cluster_pending
from tests import factories
from tests.services.triage.test_clustering import LETTER


def test_stats_page_counts_campaigns_without_texts_or_names(
    client: FlaskClient, db_session: Session
) -> None:
    v = factories.make_version(db_session)
    for n, text in enumerate([LETTER, *campaign_copies(LETTER, 11, random.Random(3))]):
        factories.make_opinion(db_session, v, text=text, contributor_name=f"寄信人{n}号")
    while cluster_pending(db_session, v.law_id).processed:
        db_session.commit()
    html = client.get("/stats?lang=en").get_data(as_text=True)
    assert "Letter campaigns" in html
    assert "<dt>Opinions in campaigns</dt><dd>12</dd>" in html
    assert "12 copies of one letter" in html
    assert LETTER[:20] not in html
    assert "寄信人" not in html


def test_stats_page_without_campaigns_has_no_campaign_section(
    client: FlaskClient, db_session: Session
) -> None:
    v = factories.make_version(db_session)
    factories.make_opinion(db_session, v, text=LETTER)
    db_session.commit()
    assert "Letter campaigns" not in client.get("/stats?lang=en").get_data(as_text=True)
