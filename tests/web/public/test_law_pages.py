"""Public law pages: the timeline, compare, article history and change pages."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Change, Law
from noticeboard.services.laws.versions import add_version, withdraw_version
from noticeboard.services.permissions import SYSTEM
from tests import factories
from tests.samples import sample_text


def _foreign_trade(db_session: Session, *, publish_second: bool = True) -> Law:
    law = factories.make_law(db_session, slug="foreign-trade-law", title="中华人民共和国对外贸易法")
    add_version(
        db_session,
        SYSTEM,
        law,
        label="2016年修正文本",
        source_text=sample_text("cn/duiwai-maoyifa/2016.txt"),
        publish=True,
    )
    add_version(
        db_session,
        SYSTEM,
        law,
        label="2022年修正文本",
        source_text=sample_text("cn/duiwai-maoyifa/2022.txt"),
        publish=publish_second,
    )
    db_session.commit()
    return law


def test_law_page_shows_the_timeline_with_change_counts(
    client: FlaskClient, db_session: Session
) -> None:
    _foreign_trade(db_session)
    html = client.get("/laws/foreign-trade-law?lang=en").get_data(as_text=True)
    assert "2016年修正文本" in html
    assert "2022年修正文本" in html
    assert "70 articles" in html
    assert "69 articles" in html
    assert "Changes from 2016年修正文本" in html
    assert re.search(r"Deleted\s+1", html)
    assert 'href="/laws/foreign-trade-law/compare/1...2"' in html


def test_unknown_law_is_404(client: FlaskClient) -> None:
    assert client.get("/laws/nope").status_code == 404


def test_compare_page_shows_renumbering_and_redline(
    client: FlaskClient, db_session: Session
) -> None:
    _foreign_trade(db_session)
    response = client.get("/laws/foreign-trade-law/compare?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "From 2016年修正文本 to 2022年修正文本" in html
    assert '第十条 <span aria-hidden="true">→</span>' in html  # renumbered 第十条 → 第九条
    assert "<del>" in html  # 第九条 deleted, shown struck through
    assert "cross-references only" in html
    assert "55 renumbered only" in html
    assert '<details class="change kind-renumbered"' in html
    assert html.count('class="change kind-unchanged"') == 0 or "<details" in html
    # The same comparison at its canonical address.
    canonical = client.get("/laws/foreign-trade-law/compare/1...2?lang=en").get_data(as_text=True)
    assert (
        canonical[canonical.index('<div class="changes') :]
        == html[html.index('<div class="changes') :]
    )


def test_compare_filters_and_side_by_side(client: FlaskClient, db_session: Session) -> None:
    _foreign_trade(db_session)
    html = client.get(
        "/laws/foreign-trade-law/compare/1...2?kind=deleted&view=side&lang=en"
    ).get_data(as_text=True)
    assert html.count("data-change") == 1  # only the deleted article
    assert "side-by-side" in html
    picked = client.get("/laws/foreign-trade-law/compare?from=1&to=2&kind=deleted")
    assert picked.status_code == 302
    assert picked.headers["Location"] == "/laws/foreign-trade-law/compare/1...2?kind=deleted"


def test_compare_of_missing_versions_is_404(client: FlaskClient, db_session: Session) -> None:
    _foreign_trade(db_session)
    assert client.get("/laws/foreign-trade-law/compare/1...9").status_code == 404


def test_drafts_are_hidden_from_the_public_but_shown_to_staff(
    client: FlaskClient, db_session: Session, staff_client: Callable[..., FlaskClient]
) -> None:
    _foreign_trade(db_session, publish_second=False)
    public = client.get("/laws/foreign-trade-law?lang=en").get_data(as_text=True)
    assert "2022年修正文本" not in public
    assert client.get("/laws/foreign-trade-law/compare").status_code == 404
    staff = staff_client("commission").get("/laws/foreign-trade-law?lang=en").get_data(as_text=True)
    assert "2022年修正文本" in staff
    assert "Unpublished draft" in staff
    # Office staff do not manage versions: they see what the public sees.
    office = staff_client("office").get("/laws/foreign-trade-law?lang=en").get_data(as_text=True)
    assert "2022年修正文本" not in office


def test_withdrawn_version_disappears_and_compare_skips_it(
    client: FlaskClient, db_session: Session
) -> None:
    law = _foreign_trade(db_session)
    add_version(
        db_session,
        SYSTEM,
        law,
        label="第三稿",
        source_text=sample_text("cn/duiwai-maoyifa/2022.txt"),
        publish=True,
    )
    withdraw_version(db_session, SYSTEM, law.versions[1], reason="误发布")
    db_session.commit()
    html = client.get("/laws/foreign-trade-law?lang=en").get_data(as_text=True)
    assert "2022年修正文本" not in html
    assert "Changes from 2016年修正文本" in html  # 1 → 3 now, computed and cached
    assert client.get("/laws/foreign-trade-law/compare/1...2").status_code == 404
    assert client.get("/laws/foreign-trade-law/compare/1...3").status_code == 200


def test_article_history_follows_the_renumbering(client: FlaskClient, db_session: Session) -> None:
    law = _foreign_trade(db_session)
    key = law.versions[0].articles[9].key  # 第十条 in 2016, 第九条 in 2022
    html = client.get(f"/laws/foreign-trade-law/articles/{key}?lang=en").get_data(as_text=True)
    assert "History of 第九条" in html
    assert "第十条" in html
    assert "Renumbered" in html
    assert client.get("/laws/foreign-trade-law/articles/no-such-key").status_code == 404


def test_deleted_article_history_ends_with_the_deletion(
    client: FlaskClient, db_session: Session
) -> None:
    law = _foreign_trade(db_session)
    key = law.versions[0].articles[8].key  # 第九条, deleted in 2022
    html = client.get(f"/laws/foreign-trade-law/articles/{key}?lang=en").get_data(as_text=True)
    assert "Deleted" in html
    assert "<del>" in html


def test_change_page(client: FlaskClient, db_session: Session) -> None:
    _foreign_trade(db_session)
    change = db_session.scalar(select(Change).where(Change.kind == "deleted"))
    assert change is not None
    html = client.get(f"/laws/foreign-trade-law/changes/{change.id}?lang=en").get_data(as_text=True)
    assert "第九条" in html
    assert "Side by side" in html
    assert client.get("/laws/foreign-trade-law/changes/999999").status_code == 404
    other = factories.make_law(db_session, slug="other")
    db_session.commit()
    assert other.id
    assert client.get(f"/laws/other/changes/{change.id}").status_code == 404


def test_pages_in_chinese(client: FlaskClient, db_session: Session) -> None:
    _foreign_trade(db_session)
    html = client.get("/laws/foreign-trade-law/compare?lang=zh").get_data(as_text=True)
    assert "修改内容" in html or "改了什么" in html


def test_law_page_counts_opinions_per_version(client: FlaskClient, db_session: Session) -> None:
    from noticeboard.models import Outcome
    from noticeboard.services.decisions.outcomes import DecisionInput, decide_opinion

    law = _foreign_trade(db_session)
    first = law.versions[0]
    opinions = [factories.make_opinion(db_session, first, text=f"意见{i}") for i in range(3)]
    decide_opinion(
        db_session, SYSTEM, opinions[0], DecisionInput(Outcome.ADOPTED), lock_version=None
    )
    decide_opinion(
        db_session, SYSTEM, opinions[1], DecisionInput(Outcome.PARTIALLY_ADOPTED), lock_version=None
    )
    db_session.commit()
    html = client.get("/laws/foreign-trade-law?lang=en").get_data(as_text=True)
    assert "3 opinions received, 2 adopted" in html
