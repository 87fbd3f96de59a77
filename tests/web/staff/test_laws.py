"""Staff screens for laws and versions."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from noticeboard.models import AuditEvent, DraftVersion, Law, LawStatus, VersionStatus
from noticeboard.services.laws.versions import add_version
from noticeboard.services.permissions import SYSTEM
from tests import factories
from tests.samples import sample_text

OLD = sample_text("cn/duiwai-maoyifa/2016.txt")
NEW = sample_text("cn/duiwai-maoyifa/2022.txt")


def _law(db_session: Session) -> Law:
    law = factories.make_law(db_session, slug="trade", title="对外贸易法")
    db_session.commit()
    return law


def _preview(client: FlaskClient, **data: object) -> str:
    response = client.post("/staff/laws/trade/versions/preview?lang=en", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_anonymous_is_sent_to_login_and_office_staff_are_refused(
    client: FlaskClient, staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _law(db_session)
    assert client.get("/staff/laws").status_code == 302
    office = staff_client("office")
    assert office.get("/staff/laws").status_code == 403
    assert office.get("/staff/laws/trade").status_code == 403
    assert (
        office.post(
            "/staff/laws/trade/versions/preview", data={"label": "x", "text": OLD}
        ).status_code
        == 403
    )


def test_admin_creates_a_law_and_commission_cannot(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    data = {
        "slug": "veterans",
        "title": "退役军人保障法",
        "title_en": "Veterans Support Law",
        "summary": "",
    }
    assert staff_client("commission").post("/staff/laws", data=data).status_code == 403
    admin = staff_client("admin")
    response = admin.post("/staff/laws", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/laws/veterans"
    again = admin.post("/staff/laws?lang=en", data=data)
    assert again.status_code == 422
    assert "exists already" in again.get_data(as_text=True)
    bad = admin.post("/staff/laws?lang=en", data={**data, "slug": "Not A Slug"})
    assert bad.status_code == 422
    assert "Lower-case letters, digits and dashes." in bad.get_data(as_text=True)


def test_paste_preview_then_save_then_second_version_with_counts(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _law(db_session)
    client = staff_client("commission")
    page = _preview(client, label="2016年修正文本", text=OLD)
    assert "Check before saving: 2016年修正文本" in page
    assert "<dd>70</dd>" in page  # articles
    assert db_session.scalar(select(DraftVersion)) is None  # nothing saved by a preview

    saved = client.post(
        "/staff/laws/trade/versions",
        data={"label": "2016年修正文本", "text": OLD, "action": "publish"},
    )
    assert saved.status_code == 302
    page = _preview(client, label="2022年修正文本", text=NEW)
    assert "Compared with 2016年修正文本" in page
    assert (
        client.post(
            "/staff/laws/trade/versions",
            data={"label": "2022年修正文本", "text": NEW, "action": "draft"},
        ).status_code
        == 302
    )

    versions = db_session.scalars(select(DraftVersion).order_by(DraftVersion.sequence)).all()
    assert [(v.label, v.status) for v in versions] == [
        ("2016年修正文本", VersionStatus.PUBLISHED),
        ("2022年修正文本", VersionStatus.DRAFT),
    ]
    show = client.get("/staff/laws/trade?lang=en").get_data(as_text=True)
    assert "Deleted 1" in show
    assert "Concordance table" in show


def test_docx_and_gb18030_uploads_are_read(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _law(db_session)
    client = staff_client("commission")
    document = docx.Document()
    for line in OLD.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    page = _preview(
        client, label="docx", text="", upload=(io.BytesIO(buffer.getvalue()), "draft.docx")
    )
    assert "<dd>70</dd>" in page
    page = _preview(
        client, label="gb", text="", upload=(io.BytesIO(NEW.encode("gb18030")), "draft.txt")
    )
    assert "<dd>69</dd>" in page


def test_bad_uploads_get_clear_messages(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    _law(db_session)
    client = staff_client("commission")
    cases = [
        ((io.BytesIO(b"\x00\x01\x02binary\xff\xfe\x00"), "draft.txt"), "could not be read as text"),
        ((io.BytesIO(b"not a zip"), "draft.docx"), "damaged"),
        ((io.BytesIO(b"x"), "draft.pdf"), "Upload a .txt, .md or .docx file."),
    ]
    for upload, message in cases:
        response = client.post(
            "/staff/laws/trade/versions/preview?lang=en",
            data={"label": "x", "text": "", "upload": upload},
        )
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    empty = client.post(
        "/staff/laws/trade/versions/preview?lang=en", data={"label": "x", "text": "没有条文"}
    )
    assert empty.status_code == 422
    assert "No articles were recognised" in empty.get_data(as_text=True)


def test_upload_over_the_size_limit_is_413(
    make_app: Callable[..., object], db_session: Session
) -> None:
    from flask import Flask

    app = make_app(MAX_CONTENT_LENGTH=1024)
    assert isinstance(app, Flask)
    _law(db_session)
    user = factories.make_user(db_session, role="commission")
    db_session.commit()
    client = app.test_client()
    client.post("/staff/login", data={"email": user.email, "password": factories.PASSWORD})
    response = client.post(
        "/staff/laws/trade/versions/preview?lang=en",
        data={"label": "big", "upload": (io.BytesIO(OLD.encode()), "big.txt")},
    )
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)


def test_publish_withdraw_adopt_and_window(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    law = _law(db_session)
    first = add_version(db_session, SYSTEM, law, label="一审稿", source_text=OLD)
    db_session.commit()
    client = staff_client("commission")
    assert client.post("/staff/laws/trade/versions/1/publish").status_code == 302
    assert (
        client.post(
            "/staff/laws/trade/versions/1/window",
            data={"comment_opens": "2026-11-01", "comment_closes": "2026-12-01"},
        ).status_code
        == 302
    )
    db_session.expire_all()
    assert first.status is VersionStatus.PUBLISHED
    assert first.comment_closes_at is not None
    assert first.comment_closes_at.isoformat().startswith(
        "2026-12-01T15:59:59"
    )  # end of day, Beijing time
    assert client.post("/staff/laws/trade/versions/1/adopt").status_code == 302
    db_session.expire_all()
    assert law.status is LawStatus.ADOPTED
    assert first.is_adopted_text
    assert (
        client.post(
            "/staff/laws/trade/versions/1/withdraw", data={"reason": "文本有误"}
        ).status_code
        == 302
    )
    db_session.expire_all()
    assert first.status is VersionStatus.WITHDRAWN
    # A second publish of a withdrawn version is refused with a page, not a crash.
    again = client.post("/staff/laws/trade/versions/1/publish?lang=en")
    assert again.status_code == 409
    actions = set(db_session.scalars(select(AuditEvent.action)))
    assert {
        "version.publish",
        "version.comment_window",
        "version.adopt",
        "version.withdraw",
    } <= actions


def test_replace_an_unpublished_draft(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    law = _law(db_session)
    add_version(db_session, SYSTEM, law, label="一审稿", source_text=OLD)
    db_session.commit()
    client = staff_client("commission")
    page = _preview(client, label="一审稿（更正）", text=NEW, replace="1")
    assert 'name="replace" type="hidden" value="1"' in page
    response = client.post(
        "/staff/laws/trade/versions",
        data={"label": "一审稿（更正）", "text": NEW, "replace": "1", "action": "draft"},
    )
    assert response.status_code == 302
    versions = db_session.scalars(select(DraftVersion)).all()
    assert len(versions) == 1
    db_session.refresh(versions[0])
    assert versions[0].article_count == 69
    assert versions[0].label == "一审稿（更正）"


def test_concordance_table_and_correction(
    staff_client: Callable[..., FlaskClient], db_session: Session
) -> None:
    law = _law(db_session)
    add_version(db_session, SYSTEM, law, label="2016", source_text=OLD)
    add_version(db_session, SYSTEM, law, label="2022", source_text=NEW)
    db_session.commit()
    client = staff_client("commission")
    table = client.get("/staff/laws/trade/versions/2/alignment?lang=en").get_data(as_text=True)
    assert "Concordance table" in table
    assert "第九条" in table
    # Say the deleted 第九条 became the new 第九条 (a contrived but valid correction).
    response = client.post(
        "/staff/laws/trade/versions/2/alignment?lang=en",
        data={"old": "8", "new": ["8"], "note": "核对"},
    )
    assert response.status_code == 302
    table = client.get("/staff/laws/trade/versions/2/alignment?lang=en").get_data(as_text=True)
    assert "confirmed by staff" in table
    bad = client.post(
        "/staff/laws/trade/versions/2/alignment?lang=en",
        data={"old": "8", "new": ["1", "2"], "note": ""},
    )
    assert bad.status_code in (302, 422)
    assert client.get("/staff/laws/trade/versions/1/alignment").status_code == 404
