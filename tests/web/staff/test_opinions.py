"""The staff opinion pages: fast entry, the slip, the list, contributors' requests."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import Opinion
from noticeboard.services.accounts.offices import create_collection_point
from noticeboard.services.permissions import SYSTEM
from tests import factories


def _world(session: Session) -> dict[str, object]:
    law = factories.make_law(session, slug="minors", title="未成年人保护法")
    first = factories.make_version(session, law, label="一审稿")
    second = factories.make_version(session, law, factories.DRAFT_V2, label="二审稿")
    hongqiao = factories.make_office(session, slug="hongqiao", name="虹桥街道基层立法联系点")
    point = create_collection_point(session, SYSTEM, hongqiao, slug="teahouse", name="社区茶馆")
    lintao = factories.make_office(session, slug="lintao", name="临洮县基层立法联系点")
    session.commit()
    return {
        "first": first,
        "second": second,
        "hongqiao": hongqiao,
        "point": point,
        "lintao": lintao,
    }


def _entry(world: dict[str, object], **changes: object) -> dict[str, object]:
    data = {
        "version": world["first"].id,  # type: ignore[attr-defined]
        "office": world["hongqiao"].id,  # type: ignore[attr-defined]
        "collection_point": 0,
        "channel": "symposium",
        "received_on": "2024-05-06",
        "articles": "3",
        "contributor_name": "王芳",
        "contributor_category": "student",
        "contact": "13800000000",
        "text": "建议删除保证金的规定。",
        "summary": "",
    }
    return data | changes


def test_fast_entry_saves_shows_the_receipt_and_keeps_the_context(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    client = staff_client("office", "hongqiao")
    form = client.get("/staff/opinions/new?lang=en").get_data(as_text=True)
    assert "Kept for the next opinion" in form
    assert "临洮" not in form  # another office is not offered
    response = client.post("/staff/opinions/new?lang=en", data=_entry(world))
    assert response.status_code == 302
    assert "/staff/opinions/new?saved=" in response.headers["Location"]
    opinion = db_session.scalar(select(Opinion))
    assert opinion is not None
    assert [a.label for a in opinion.articles] == ["第三条"]
    page = client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)
    code = f"{opinion.receipt_code[:4]}-{opinion.receipt_code[4:8]}-{opinion.receipt_code[8:]}"
    assert code in page
    assert "Print receipt" in page
    assert "<svg" in page  # the QR code, drawn on the server
    assert f"http://localhost/track#{code}" not in page  # the code is in the QR, not as text
    # The context is kept: the next opinion starts on the same version, office, channel,
    # date and article, and the cursor waits in the contributor's name.
    assert re.search(rf'<option selected value="{world["first"].id}">', page)  # type: ignore[attr-defined]
    assert 'value="2024-05-06"' in page
    assert re.search(r'id="articles"[^>]*value="3"', page)
    assert re.search(r'<input autocomplete="off" autofocus id="contributor_name"', page)


def test_entry_errors_are_shown_on_their_fields(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    client = staff_client("office", "hongqiao")
    bad = _entry(world, articles="99", name_public="y", contributor_name="")
    response = client.post("/staff/opinions/new?lang=en", data=bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not an article of this version: 99." in page
    assert "Consent to show a name needs a name." in page
    assert db_session.scalar(select(Opinion)) is None


def test_office_staff_cannot_pick_another_office(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    client = staff_client("office", "hongqiao")
    response = client.post("/staff/opinions/new", data=_entry(world, office=world["lintao"].id))  # type: ignore[attr-defined]
    assert response.status_code == 422  # not among the offered choices
    assert db_session.scalar(select(Opinion)) is None


def test_admin_records_an_online_submission_without_office(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    client = staff_client("admin")
    response = client.post(
        "/staff/opinions/new", data=_entry(world, office=0, channel="online_form", articles="")
    )
    assert response.status_code == 302
    opinion = db_session.scalar(select(Opinion))
    assert opinion is not None
    assert opinion.office_id is None
    assert opinion.articles == []


def test_receipt_page_and_detail_follow_the_article(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    opinion = factories.make_opinion(
        db_session,
        world["first"],
        office=world["hongqiao"],
        articles=[world["first"].articles[2]],  # type: ignore[attr-defined]
        contributor_name="王芳",
        name_public=True,
        contact="13800000000",
    )
    db_session.commit()
    client = staff_client("office", "hongqiao")
    slip = client.get(f"/staff/opinions/{opinion.id}/receipt?lang=en").get_data(as_text=True)
    assert "Receipt for your opinion" in slip
    assert "第三条" in slip
    assert "css/slip-a6.css" in slip  # the page size for print
    roll = client.get(f"/staff/opinions/{opinion.id}/receipt?paper=80mm").get_data(as_text=True)
    assert "css/slip-80mm.css" in roll
    assert "13800000000" not in slip  # the contact never goes on paper
    detail = client.get(f"/staff/opinions/{opinion.id}?lang=en").get_data(as_text=True)
    assert "On 第三条 of 一审稿, now 第四条 in 二审稿." in detail
    assert "13800000000" in detail  # staff see it


def test_other_offices_opinions_are_not_found(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    opinion = factories.make_opinion(db_session, world["first"], office=world["lintao"])
    db_session.commit()
    client = staff_client("office", "hongqiao")
    assert client.get(f"/staff/opinions/{opinion.id}").status_code == 404
    assert client.get(f"/staff/opinions/{opinion.id}/receipt").status_code == 404
    assert (
        client.post(f"/staff/opinions/{opinion.id}/erase", data={"confirm": "y"}).status_code == 404
    )
    listing = client.get("/staff/opinions?lang=en").get_data(as_text=True)
    assert "0 opinions" in listing


def test_list_filters_and_pages(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    for _ in range(3):
        factories.make_opinion(db_session, world["first"], office=world["hongqiao"])
    factories.make_opinion(db_session, world["first"], office=world["lintao"])
    db_session.commit()
    client = staff_client("commission")
    assert "4 opinions" in client.get("/staff/opinions?lang=en").get_data(as_text=True)
    assert "3 opinions" in client.get("/staff/opinions?office=hongqiao&lang=en").get_data(
        as_text=True
    )


def test_contributor_requests_from_the_page(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    world = _world(db_session)
    opinion = factories.make_opinion(
        db_session,
        world["first"],
        office=world["hongqiao"],
        contributor_name="王芳",
        name_public=True,
        contact="13800000000",
    )
    db_session.commit()
    client = staff_client("office", "hongqiao")
    stale = client.post(f"/staff/opinions/{opinion.id}/consent", data={"lock_version": "7"})
    assert stale.status_code == 409
    assert (
        client.post(f"/staff/opinions/{opinion.id}/consent", data={"lock_version": "1"}).status_code
        == 302
    )
    unconfirmed = client.post(f"/staff/opinions/{opinion.id}/erase", data={"lock_version": "2"})
    assert unconfirmed.status_code == 302
    db_session.expire_all()
    assert opinion.contributor_name == "王芳"
    assert opinion.name_public is False
    erased = client.post(
        f"/staff/opinions/{opinion.id}/erase", data={"lock_version": "2", "confirm": "y"}
    )
    assert erased.status_code == 302
    db_session.expire_all()
    assert (opinion.contributor_name, opinion.contact) == ("", "")
    page = client.get(f"/staff/opinions/{opinion.id}?lang=en").get_data(as_text=True)
    assert "were erased on request" in page


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    for path in ("/staff/opinions", "/staff/opinions/new", "/staff/opinions/import"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/staff/login" in response.headers["Location"]
