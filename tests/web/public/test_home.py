from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from noticeboard.models import LawStatus
from noticeboard.services.laws.versions import add_version
from noticeboard.services.permissions import SYSTEM
from tests import factories


def test_home_lists_laws_with_published_versions_only(
    client: FlaskClient, db_session: Session
) -> None:
    shown = factories.make_law(db_session, title="公开的法", status=LawStatus.CONSULTATION)
    add_version(db_session, SYSTEM, shown, label="一审稿", source_text="第一条 甲。", publish=True)
    hidden = factories.make_law(db_session, title="未公开的法")
    add_version(db_session, SYSTEM, hidden, label="内部稿", source_text="第一条 乙。")
    db_session.commit()

    html = client.get("/?lang=en").get_data(as_text=True)
    assert "公开的法" in html
    assert "一审稿" in html
    assert "Open for comment" in html
    assert "未公开的法" not in html
    assert "<dd>2</dd>" in html  # two laws in the counters, one published draft below
    assert "<dd>1</dd>" in html
